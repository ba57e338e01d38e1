// name: introductions
// description: Stakeholders a person can introduce the team to: their trusted contacts (trust 3 or more, either direction) who have no tie to the team yet.
// param: id string  The person (or any stakeholder) who makes the introductions.
// param: min_trust integer = 3  The lowest trust that counts as trusted.
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
MATCH (team:Team {wave: load, id: p.team})
MATCH (me:Stakeholder {wave: load, id: $id})-[r]-(x:Stakeholder {wave: load})
WHERE r.trust >= $min_trust AND x <> team AND NOT x:Engagement AND NOT x:Service
  AND NOT EXISTS { (x)--(team) }
RETURN x.id AS id, x.name AS name, x.kind AS kind, x.sector AS sector, max(r.trust) AS trust
ORDER BY trust DESC, id
