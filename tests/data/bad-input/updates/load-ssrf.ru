LOAD <http://169.254.169.254/latest/meta-data/> INTO GRAPH <https://missilekg.org/graph/x>
