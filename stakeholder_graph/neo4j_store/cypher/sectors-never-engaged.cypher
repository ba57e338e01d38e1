// name: sectors-never-engaged
// description: Sectors the program expects in which no stakeholder has taken part in engagement (participated, sits on a body, or partners with the team).
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
UNWIND coalesce(p.expected_sectors, []) AS sector
OPTIONAL MATCH (n:Stakeholder {wave: load, sector: sector})
WHERE n.id = p.team
   OR EXISTS { (n)-[:PARTICIPATED_IN|SITS_ON]->() }
   OR EXISTS { (n)-[:PARTNERS_WITH]-(:Team {wave: load, id: p.team}) }
WITH load, sector, count(n) AS engaged
WHERE engaged = 0
OPTIONAL MATCH (m:Stakeholder {wave: load, sector: sector})
RETURN sector, count(m) AS stakeholders_in_sector
ORDER BY sector
