// name: referral-paths
// description: Shortest referral paths (fewest steps over REFERS_TO and PROVIDES in their direction, PARTNERS_WITH either way) from the team, or $from, to every service meeting $need.
// param: need string  A need, e.g. "overdose".
// param: from string = ""  Start here instead of the program's team.
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
MATCH (start:Stakeholder {wave: load, id: CASE WHEN $from = '' THEN p.team ELSE $from END})
MATCH (s:Service {wave: load}) WHERE $need IN s.needs
OPTIONAL MATCH path = SHORTEST 1 (start)((a)-[r:REFERS_TO|PARTNERS_WITH|PROVIDES]-(b)
                                          WHERE type(r) = 'PARTNERS_WITH' OR startNode(r) = a)+(s)
RETURN s.id AS service, s.name AS name, s.hours AS hours,
       CASE WHEN path IS NULL THEN null ELSE length(path) END AS steps,
       CASE WHEN path IS NULL THEN [] ELSE [n IN nodes(path) | n.id] END AS path
ORDER BY steps IS NULL, steps, service
