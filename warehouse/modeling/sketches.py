"""Unique-visitor sketches: exact sets while small, HyperLogLog beyond, built in SQL and merged in Python.

No PostgreSQL extension is needed. A rollup row stores the visitors of its bucket as a bytea:

- `0x01` + 8-byte big-endian hashes: the exact set, while a bucket has at most EXACT_LIMIT visitors;
- `0x02` + 3-byte entries `register << 6 | rho`: a sparse HyperLogLog (precision 12, 4,096 registers);
- `0x03` + 4,096 register bytes: the same HyperLogLog, dense, once over a third of the registers are set.

The hash is PostgreSQL's `hashtextextended(visitor_id, 0)` (64 bits, in every version we support). Merging sets
of exact sketches stays exact (a union of hash sets; 64-bit collisions are negligible); once any input is a
HyperLogLog, the union is a HyperLogLog, whose standard error is 1.04/sqrt(4096) = 1.6% (linear counting below
2.5 x 4096 visitors, where the error is smaller still). So unique visitors over any date range are exact for
a value whose every daily (and monthly) bucket had at most EXACT_LIMIT visitors, and within ~1.6% (one standard
error; ~3.2% at 95%) otherwise."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable

PRECISION = 12
REGISTERS = 1 << PRECISION
EXACT_LIMIT = 256
DENSE_AFTER = REGISTERS // 3  # entries; beyond this the dense form is smaller than the sparse one
EXACT, SPARSE, DENSE = 1, 2, 3
_LOW_BITS = (1 << (64 - PRECISION)) - 1
_INVERSE_POWERS = tuple(2.0**-rank for rank in range(65))
_ALPHA = 0.7213 / (1 + 1.079 / REGISTERS)
# Dense registers are merged as one big integer, 8 bits a register (SWAR): ranks are below 64, so with each
# byte's top bit set first, a byte-wise subtraction never borrows and that bit tells which side is larger.
_HIGH_BITS = int.from_bytes(b"\x80" * REGISTERS, "big")
_ALL_BITS = (1 << (8 * REGISTERS)) - 1

HASH_SQL = "hashtextextended({column}, 0)"
# The 52 hash bits above the register index, as a bit string; rho is the position of its first 1.
_rest_bits = f"((h >> {PRECISION}) & {_LOW_BITS})::bit({64 - PRECISION})::text"


def build_sketches_sql(source: str, keys: str) -> str:
    """Return a query yielding (`keys`..., sketch) for the distinct (`keys`, h) rows of `source`, where h is the
    visitor hash. `source` and `keys` are trusted SQL fragments written in this package, never user input."""
    return f"""
        WITH hv AS (SELECT {keys}, h, count(*) OVER (PARTITION BY {keys}) AS n FROM {source}),
        exact AS (
            SELECT {keys}, '\\x01'::bytea || string_agg(int8send(h), ''::bytea ORDER BY h) AS sketch
            FROM hv WHERE n <= {EXACT_LIMIT} GROUP BY {keys}
        ),
        regs AS (
            SELECT {keys}, (h & {REGISTERS - 1})::int AS reg,
                   max(coalesce(nullif(position('1' IN {_rest_bits}), 0), {64 - PRECISION + 1})) AS rho
            FROM hv WHERE n > {EXACT_LIMIT} GROUP BY {keys}, (h & {REGISTERS - 1})
        ),
        sized AS (SELECT {keys}, reg, rho, count(*) OVER (PARTITION BY {keys}) AS filled FROM regs),
        sparse AS (
            SELECT {keys}, '\\x02'::bytea || string_agg(substring(int4send(reg * 64 + rho) FROM 2), ''::bytea
                                                      ORDER BY reg) AS sketch
            FROM sized WHERE filled <= {DENSE_AFTER} GROUP BY {keys}
        ),
        dense_keys AS (
            SELECT {keys}, array_agg(reg) AS regs, array_agg(rho) AS rhos FROM sized
            WHERE filled > {DENSE_AFTER} GROUP BY {keys}
        ),
        dense AS (
            SELECT {_prefixed(keys, "k")}, '\\x03'::bytea || decode(x.hex, 'hex') AS sketch
            FROM dense_keys k CROSS JOIN LATERAL (
                SELECT string_agg(lpad(to_hex(coalesce(m.rho, 0)), 2, '0'), '' ORDER BY g.i) AS hex
                FROM generate_series(0, {REGISTERS - 1}) AS g(i)
                LEFT JOIN unnest(k.regs, k.rhos) AS m(reg, rho) ON m.reg = g.i
            ) x
        )
        SELECT * FROM exact UNION ALL SELECT * FROM sparse UNION ALL SELECT * FROM dense
    """


def _prefixed(keys: str, alias: str) -> str:
    return ", ".join(f"{alias}.{key.strip()}" for key in keys.split(","))


def _max_registers(a: int, b: int) -> int:
    """The register-wise maximum of two dense register arrays held as big-endian integers."""
    mask = ((((a | _HIGH_BITS) - b) & _HIGH_BITS) >> 7) * 0xFF  # 0xFF in every byte where a >= b
    return (a & mask) | (b & (mask ^ _ALL_BITS))


def _register(visitor_hash: int) -> tuple[int, int]:
    rest = (visitor_hash >> PRECISION) & _LOW_BITS
    return visitor_hash & (REGISTERS - 1), (64 - PRECISION) - rest.bit_length() + 1


class VisitorUnion:
    """The union of any number of sketches; `count()` is exact while every input was exact."""

    def __init__(self) -> None:
        self.hashes: set[int] = set()
        self.registers: bytearray | None = None
        self._dense: int | None = None  # the merged dense inputs (see _max_registers)

    def add(self, sketch: bytes | memoryview | None) -> None:
        if not sketch:
            return
        sketch = bytes(sketch)
        kind, body = sketch[0], sketch[1:]
        if kind == EXACT:
            self.hashes.update(h for (h,) in struct.iter_unpack(">q", body))
            return
        if kind == SPARSE:
            registers = self._hll()
            padded = bytearray(len(body) // 3 * 4)  # 3-byte entries as 4-byte words, copied at C speed
            padded[1::4], padded[2::4], padded[3::4] = body[0::3], body[1::3], body[2::3]
            for (entry,) in struct.iter_unpack(">I", padded):
                register, rank = entry >> 6, entry & 63
                if rank > registers[register]:
                    registers[register] = rank
        elif kind == DENSE:
            value = int.from_bytes(body, "big")
            self._dense = value if self._dense is None else _max_registers(self._dense, value)
        else:
            raise ValueError(f"unknown sketch format {kind}")

    def update(self, sketches: Iterable[bytes | memoryview | None]) -> VisitorUnion:
        for sketch in sketches:
            self.add(sketch)
        return self

    def _hll(self) -> bytearray:
        if self.registers is None:
            self.registers = bytearray(REGISTERS)
        return self.registers

    def count(self) -> int:
        """Return the number of distinct visitors: exact for exact inputs, a HyperLogLog estimate otherwise."""
        if self.registers is None and self._dense is None:
            return len(self.hashes)
        registers = self._hll()
        if self._dense is not None:
            merged = _max_registers(int.from_bytes(registers, "big"), self._dense)
            registers = self.registers = bytearray(merged.to_bytes(REGISTERS, "big"))
            self._dense = None
        for visitor_hash in self.hashes:
            register, rank = _register(visitor_hash)
            if rank > registers[register]:
                registers[register] = rank
        self.hashes.clear()
        return estimate(registers)


def estimate(registers: bytes | bytearray) -> int:
    """HyperLogLog's estimate with linear counting for small cardinalities (64-bit hashes: no large-range fix)."""
    zeros = registers.count(0)
    raw = _ALPHA * REGISTERS * REGISTERS / math.fsum(map(_INVERSE_POWERS.__getitem__, registers))
    if raw <= 2.5 * REGISTERS and zeros:
        return round(REGISTERS * math.log(REGISTERS / zeros))
    return round(raw)


def count_visitors(sketches: Iterable[bytes | memoryview | None]) -> int:
    return VisitorUnion().update(sketches).count()
