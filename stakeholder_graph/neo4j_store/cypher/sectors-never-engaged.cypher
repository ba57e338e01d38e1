// name: sectors-never-engaged
// description: Sectors the program expects in which no stakeholder has taken part in engagement (participated, sits on a body, or partners with the team).
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
UNWIND coalesce(p.expected_sectors, []) AS sector
OPTIONAL MATCH (n:Stakeholder {wave: $wave, sector: sector})
WHERE n.id = p.team
   OR EXISTS { (n)-[:PARTICIPATED_IN|SITS_ON]->() }
   OR EXISTS { (n)-[:PARTNERS_WITH]-(:Team {wave: $wave, id: p.team}) }
WITH sector, count(n) AS engaged
WHERE engaged = 0
OPTIONAL MATCH (m:Stakeholder {wave: $wave, sector: sector})
RETURN sector, count(m) AS stakeholders_in_sector
ORDER BY sector
