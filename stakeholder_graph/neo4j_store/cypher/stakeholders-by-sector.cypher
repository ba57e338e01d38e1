// name: stakeholders-by-sector
// description: Stakeholders per sector, and how many of them take part in the program's engagement.
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
MATCH (n:Stakeholder {wave: load}) WHERE n.sector IS NOT NULL
OPTIONAL MATCH (n)-[e:PARTICIPATED_IN|SITS_ON]->()
OPTIONAL MATCH (n)-[t:PARTNERS_WITH]-(:Team {wave: load, id: p.team})
WITH n, p, count(e) + count(t) AS engagement
RETURN n.sector AS sector,
       count(n) AS stakeholders,
       sum(CASE WHEN engagement > 0 OR n.id = p.team THEN 1 ELSE 0 END) AS engaged
ORDER BY sector
