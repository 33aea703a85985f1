import assert from 'node:assert/strict';
import { seedState } from './seed';
import { parseSql, runSql, SqlError } from './sqlQuery';

describe('Lenses API emulator: the SQL subset', () => {
  const dev = () => seedState().environments[0].data;

  it('parses quoted topics, escaped quotes, booleans and nested fields', () => {
    assert.deepEqual(parseSql("SELECT customer.id, _value.amount FROM `orders-enriched` WHERE note = 'it''s' LIMIT 7;"), {
      topic: 'orders-enriched',
      fields: ['customer.id', '_value.amount'],
      where: { field: 'note', value: "it's" },
      limit: 7,
    });
    assert.deepEqual(parseSql('select * from t where ok = TRUE').where, { field: 'ok', value: true });
    assert.deepEqual(parseSql('SELECT * FROM t WHERE n = -1.5').where, { field: 'n', value: -1.5 });
  });

  it('refuses what it does not support, saying what it supports', () => {
    for (const sql of ['INSERT INTO a SELECT * FROM b', 'SELECT COUNT(*) FROM orders', "SELECT * FROM orders WHERE a = 'x' AND b = 1", 'SELECT * FROM']) {
      assert.throws(
        () => parseSql(sql),
        (error: unknown) => error instanceof SqlError && /SELECT \* \| field|only <field> = <value>/.test(error.message),
        sql,
      );
    }
  });

  it('runs in timestamp order, matching numbers and strings exactly', () => {
    const rows = runSql(dev(), parseSql("SELECT orderId, amount FROM orders WHERE currency = 'GBP' LIMIT 3"));
    assert.deepEqual(
      rows.map((row) => row.value),
      [
        { orderId: 'ord-1002', amount: 57 },
        { orderId: 'ord-1005', amount: 168 },
        { orderId: 'ord-1008', amount: 279 },
      ],
    );
    assert.ok(rows[0].metadata.timestamp < rows[1].metadata.timestamp);
    assert.equal(runSql(dev(), parseSql("SELECT * FROM orders WHERE amount = '57'")).length, 0, "'57' is a string, amount a number");
    assert.deepEqual(runSql(dev(), parseSql('SELECT missing FROM customers LIMIT 1'))[0].value, { missing: null });
  });
});
