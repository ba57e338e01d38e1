// name: priority-community-messengers
// description: Each priority community and its credible messengers, by its residents' own trust (as the report, bridges and plan): people at least messenger_min_residents residents trust (trust min_trust+), whose ties from the residents average min_trust or more, with trusted ties to the team or to expected sectors outside the community (not its residents, nor its own organizations). Relationships ended on the reference date are left out.
// param: wave string = "default"  The wave (snapshot) to look in.
// param: min_trust integer = 0  The lowest trust that counts as trusted (0: the program's min_trust, 3 unless program.toml says).
// param: min_residents integer = 0  How many residents must trust a messenger (0: the program's messenger_min_residents, 2 unless program.toml says).
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
// the reference date: as_of, else the newest date in the data, else today (dates are ISO text)
WITH p, load,
     coalesce(p.as_of,
              reduce(newest = null, d IN COLLECT { MATCH (n:Stakeholder {wave: load}) WHERE n.date IS NOT NULL RETURN n.date }
                                       + COLLECT { MATCH (:Stakeholder {wave: load})-[r]->() WHERE r.since IS NOT NULL RETURN r.since }
                     | CASE WHEN newest IS NULL OR d > newest THEN d ELSE newest END),
              toString(date())) AS day,
     CASE WHEN $min_trust > 0 THEN $min_trust ELSE coalesce(p.min_trust, 3) END AS t,
     CASE WHEN $min_residents > 0 THEN $min_residents ELSE coalesce(p.messenger_min_residents, 2) END AS needed_max
MATCH (c:Community {wave: load})
WHERE c.priority = true OR c.id IN coalesce(p.priority_communities, [])
// residents: the community cell names it, or a current MEMBER_OF it
WITH p, load, day, t, needed_max, c,
     COLLECT { MATCH (r:Person {wave: load})
               WHERE r.community = c.id
                  OR EXISTS { MATCH (r)-[m:MEMBER_OF]->(c)
                              WHERE (m.since IS NULL OR m.since <= day) AND (m.until IS NULL OR m.until > day) }
               RETURN r } AS residents
// the team side: the team and its current members
WITH p, load, day, t, needed_max, c, residents,
     COLLECT { MATCH (team:Team {wave: load, id: p.team}) RETURN team }
     + COLLECT { MATCH (m:Stakeholder {wave: load})-[mm:MEMBER_OF]->(:Team {wave: load, id: p.team})
                 WHERE (mm.since IS NULL OR mm.since <= day) AND (mm.until IS NULL OR mm.until > day) RETURN m } AS side
WITH c, residents,
     COLLECT {
       // each resident's trust in each person: the largest trust of the current relationships from the
       // resident (an undirected type counts both ways); relationships without a trust say nothing
       UNWIND residents AS res
       MATCH (res)-[rel]-(x:Person)
       WHERE x <> res AND rel.trust IS NOT NULL
         AND (startNode(rel) = res OR type(rel) IN ['PARTNERS_WITH', 'COMMUNICATES_WITH'])
         AND (rel.since IS NULL OR rel.since <= day) AND (rel.until IS NULL OR rel.until > day)
       WITH x, res, max(rel.trust) AS trust
       WITH x, sum(trust) AS total, count(trust) AS ties,
            [pair IN collect([res.id, trust]) WHERE pair[1] >= t | pair[0]] AS trusted_by
       // the community's own voice counts in the average
       OPTIONAL MATCH (c)-[ct]-(x)
       WHERE ct.trust IS NOT NULL AND (startNode(ct) = c OR type(ct) IN ['PARTNERS_WITH', 'COMMUNICATES_WITH'])
         AND (ct.since IS NULL OR ct.since <= day) AND (ct.until IS NULL OR ct.until > day)
       WITH x, trusted_by, total, ties, max(ct.trust) AS voice,
            size(residents) - CASE WHEN x IN residents THEN 1 ELSE 0 END AS others
       WITH x, trusted_by, others,
            toFloat(total + coalesce(voice, 0)) / (ties + CASE WHEN voice IS NULL THEN 0 ELSE 1 END) AS mean_trust,
            CASE WHEN needed_max < others THEN needed_max ELSE others END AS needed
       WHERE mean_trust >= t AND size(trusted_by) >= CASE WHEN needed < 1 THEN 1 ELSE needed END
       // what their trusted ties (either direction) reach: the team side, expected sectors outside the community
       WITH x, trusted_by, others, mean_trust,
            COLLECT { MATCH (x)-[rt]-(y:Stakeholder {wave: load})
                      WHERE rt.trust >= t AND NOT y:Engagement
                        AND (rt.since IS NULL OR rt.since <= day) AND (rt.until IS NULL OR rt.until > day)
                      RETURN DISTINCT y } AS contacts
       WITH x, trusted_by, others, mean_trust,
            any(y IN contacts WHERE y IN side) AS team,
            COLLECT {
              UNWIND contacts AS y
              WITH y
              WHERE NOT y IN side AND y.sector IN p.expected_sectors AND NOT y IN residents AND y <> c
                AND NOT EXISTS { MATCH (y)-[m:MEMBER_OF]->(c)
                                 WHERE (m.since IS NULL OR m.since <= day) AND (m.until IS NULL OR m.until > day) }
                // not one of the community's own organizations: all of its current members are residents
                // and it has no trusted tie to the team side
                AND NOT (y:Organization
                         AND NOT EXISTS { MATCH (y)-[ty]-(z)
                                          WHERE z IN side AND ty.trust >= t
                                            AND (ty.since IS NULL OR ty.since <= day) AND (ty.until IS NULL OR ty.until > day) }
                         AND all(member IN COLLECT { MATCH (member:Person)-[mm:MEMBER_OF]->(y)
                                                     WHERE (mm.since IS NULL OR mm.since <= day)
                                                       AND (mm.until IS NULL OR mm.until > day)
                                                     RETURN member } WHERE member IN residents)
                         AND EXISTS { MATCH (:Person)-[mm:MEMBER_OF]->(y)
                                      WHERE (mm.since IS NULL OR mm.since <= day) AND (mm.until IS NULL OR mm.until > day) })
              RETURN DISTINCT y.sector AS sector ORDER BY sector
            } AS sectors
       WHERE team OR size(sectors) > 0
       WITH x, trusted_by, others, mean_trust, team, sectors,
            size(trusted_by) * (1 + size(sectors) + CASE WHEN team THEN 1 ELSE 0 END) AS score
       ORDER BY score DESC, size(trusted_by) DESC, mean_trust DESC, x.id
       RETURN {id: x.id, name: x.name, trusted_by: size(trusted_by), residents: others,
               mean_trust: round(mean_trust, 2), team: team, sectors: sectors, score: score}
     } AS messengers
RETURN c.id AS community, c.name AS community_name, size(residents) AS residents, messengers
ORDER BY community
