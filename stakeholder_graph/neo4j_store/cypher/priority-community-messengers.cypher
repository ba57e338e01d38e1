// name: priority-community-messengers
// description: Each priority community and its trusted messengers: members with ties of trust 3 or more to the team or to stakeholders of the program's expected sectors outside their community.
// param: wave string = "default"  The wave (snapshot) to look in.
// param: min_trust integer = 3  The lowest trust that counts as trusted.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
MATCH (c:Community {wave: load})
WHERE c.priority = true OR c.id IN coalesce(p.priority_communities, [])
OPTIONAL MATCH (m:Person {wave: load})
WHERE m.community = c.id OR EXISTS { (m)-[:MEMBER_OF]->(c) }
OPTIONAL MATCH (m)-[r]-(x:Stakeholder {wave: load})
WHERE r.trust >= $min_trust AND NOT x:Engagement AND x <> c
  AND (x.id = p.team OR (x.sector IN p.expected_sectors AND coalesce(x.community, '') <> c.id
                         AND NOT EXISTS { (x)-[:MEMBER_OF]->(c) }))
WITH c, m, count(DISTINCT x) AS trusted_ties, collect(DISTINCT x.sector) AS sectors_reached
RETURN c.id AS community, c.name AS community_name,
       [row IN collect(CASE WHEN trusted_ties > 0 THEN {id: m.id, name: m.name, trusted_ties: trusted_ties,
                                                      sectors: sectors_reached} END) WHERE row IS NOT NULL] AS messengers
ORDER BY community
