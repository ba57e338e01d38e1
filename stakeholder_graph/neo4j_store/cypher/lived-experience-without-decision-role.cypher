// name: lived-experience-without-decision-role
// description: Engaged people with lived experience (took part in an engagement or partner with the team) who hold no formal decision role (no decision_role and no SITS_ON).
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
MATCH (n:Person {wave: load, lived_experience: true})
WHERE (EXISTS { (n)-[:PARTICIPATED_IN]->() } OR EXISTS { (n)-[:PARTNERS_WITH]-(:Team {wave: load, id: p.team}) })
  AND n.decision_role IS NULL AND NOT EXISTS { (n)-[:SITS_ON]->() }
OPTIONAL MATCH (n)-[:PARTICIPATED_IN]->(e:Engagement)
RETURN n.id AS id, n.name AS name, n.community AS community, collect(e.name) AS engagements
ORDER BY id
