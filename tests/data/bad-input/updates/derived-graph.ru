INSERT DATA { GRAPH <https://missilekg.org/graph/inferred> { <https://x/a> <https://x/b> <https://x/c> } }
