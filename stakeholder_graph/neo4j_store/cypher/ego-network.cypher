// name: ego-network
// description: A stakeholder's ego network: everyone within $depth steps (any relationship, either direction; at most 4), with the distance.
// param: id string  The stakeholder at the centre.
// param: depth integer = 1  How many steps out (1 to 4).
// param: wave string = "default"  The wave (snapshot) to look in.
MATCH (p:Program {wave: $wave})
WITH p, coalesce(p.load, p.wave) AS load  // the visible load: its stakeholders carry wave = load
MATCH (ego:Stakeholder {wave: load, id: $id})
MATCH path = (ego)-[*1..4]-(other:Stakeholder {wave: load})
WHERE length(path) <= $depth AND other <> ego
WITH other, min(length(path)) AS distance
RETURN other.id AS id, other.name AS name, other.kind AS kind, other.sector AS sector, distance
ORDER BY distance, id
