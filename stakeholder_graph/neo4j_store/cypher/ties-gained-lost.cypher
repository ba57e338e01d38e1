// name: ties-gained-lost
// description: Relationships gained and lost between two waves, matched on source id, target id and type.
// param: old string  The earlier wave.
// param: new string  The later wave.
MATCH (po:Program {wave: $old}), (pn:Program {wave: $new})
WITH coalesce(po.load, po.wave) AS old, coalesce(pn.load, pn.wave) AS new  // the visible loads of the two waves
CALL (old, new) {
  MATCH (a:Stakeholder {wave: new})-[r]->(b:Stakeholder {wave: new})
  WHERE NOT EXISTS {
    MATCH (a2:Stakeholder {wave: old, id: a.id})-[r2]->(b2:Stakeholder {wave: old, id: b.id}) WHERE type(r2) = type(r)
  }
  RETURN 'gained' AS change, a.id AS source, b.id AS target, toLower(type(r)) AS type
  UNION ALL
  MATCH (a:Stakeholder {wave: old})-[r]->(b:Stakeholder {wave: old})
  WHERE NOT EXISTS {
    MATCH (a2:Stakeholder {wave: new, id: a.id})-[r2]->(b2:Stakeholder {wave: new, id: b.id}) WHERE type(r2) = type(r)
  }
  RETURN 'lost' AS change, a.id AS source, b.id AS target, toLower(type(r)) AS type
}
RETURN change, source, target, type
ORDER BY change, source, target, type
