INSERT DATA { <https://x/a> <https://x/b> }
