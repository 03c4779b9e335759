-- Orders stored before kept the buyer's Qtickets client id in payload_json (client_id, client.id), the
-- accounts behind the order (basket_user_id, backend_user_id) and integrations with third-party visitor
-- ids: stable ids of a person that undo buyer_key's keyed hash. The loader now drops them (OrderPayload);
-- this removes them from the payloads already stored, at the top level and in the exchange orders a
-- webhook nests (primary_orders, secondary_orders), and leaves every other field as it was (re-serialized
-- compactly). It waits for the rewrite, so the ids are gone once the migration has run.
ALTER TABLE zakaz.stg_qtickets_api_orders_raw
UPDATE payload_json = concat('{', arrayStringConcat(arrayMap(field -> concat(toJSONString(field.1), ':',
        if(field.1 IN ('primary_orders', 'secondary_orders') AND JSONType(field.2) = 'Array',
            concat('[', arrayStringConcat(arrayMap(nested -> if(JSONType(nested) = 'Object',
                concat('{', arrayStringConcat(arrayMap(inner -> concat(toJSONString(inner.1), ':', inner.2),
                    arrayFilter(inner -> NOT (inner.1 IN ('client', 'client_id', 'user_id', 'basket_user_id', 'backend_user_id', 'integrations')
                        OR endsWith(inner.1, '_client_id') OR endsWith(inner.1, '_user_id')), JSONExtractKeysAndValuesRaw(nested))), ','), '}'),
                nested), JSONExtractArrayRaw(field.2)), ','), ']'),
            field.2)),
    arrayFilter(field -> NOT (field.1 IN ('client', 'client_id', 'user_id', 'basket_user_id', 'backend_user_id', 'integrations')
        OR endsWith(field.1, '_client_id') OR endsWith(field.1, '_user_id')), JSONExtractKeysAndValuesRaw(payload_json))), ','), '}')
WHERE payload_json LIKE '%client%' OR payload_json LIKE '%user_id%' OR payload_json LIKE '%"integrations"%'
SETTINGS mutations_sync = 2;
