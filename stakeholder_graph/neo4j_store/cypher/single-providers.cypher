// name: single-providers
// description: Needs the program expects that are met by exactly one provider (an organization, or a service with no provider recorded): no backup when it is full.
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
UNWIND coalesce(p.expected_needs, []) AS need
MATCH (s:Service {wave: load}) WHERE need IN s.needs
OPTIONAL MATCH (o:Stakeholder {wave: load})-[:PROVIDES]->(s)
WITH need, s, collect(o.id) AS organizations
WITH need, collect(DISTINCT CASE WHEN size(organizations) = 0 THEN [s.id] ELSE organizations END) AS providers,
     collect(s.id) AS services
WHERE size(providers) = 1
RETURN need, providers[0] AS providers, services
ORDER BY need
