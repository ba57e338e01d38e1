// name: introductions
// description: Stakeholders a person can introduce the team to: their trusted contacts (trust min_trust or more, either direction) who have no tie to the team yet. Relationships ended on the reference date are left out. The same as stakeholder-graph plan --introductions ID.
// param: id string  The person (or any stakeholder) who makes the introductions.
// param: min_trust integer = 0  The lowest trust that counts as trusted (0: the program's min_trust, 3 unless program.toml says).
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
// the reference date: as_of, else the newest date in the data, else today (dates are ISO text)
WITH p, load,
     coalesce(p.as_of,
              reduce(newest = null, d IN COLLECT { MATCH (n:Stakeholder {wave: load}) WHERE n.date IS NOT NULL RETURN n.date }
                                       + COLLECT { MATCH (:Stakeholder {wave: load})-[r]->() WHERE r.since IS NOT NULL RETURN r.since }
                     | CASE WHEN newest IS NULL OR d > newest THEN d ELSE newest END),
              toString(date())) AS day,
     CASE WHEN $min_trust > 0 THEN $min_trust ELSE coalesce(p.min_trust, 3) END AS t
MATCH (team:Team {wave: load, id: p.team})
MATCH (me:Stakeholder {wave: load, id: $id})-[r]-(x:Stakeholder {wave: load})
WHERE r.trust >= t AND x <> team AND NOT x:Engagement AND NOT x:Service
  AND (r.since IS NULL OR r.since <= day) AND (r.until IS NULL OR r.until > day)
  AND NOT EXISTS { MATCH (x)-[tt]-(team) WHERE (tt.since IS NULL OR tt.since <= day) AND (tt.until IS NULL OR tt.until > day) }
RETURN x.id AS id, x.name AS name, x.kind AS kind, x.sector AS sector, max(r.trust) AS trust
ORDER BY trust DESC, id
