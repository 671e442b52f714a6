// Timestamps for the date operators.
//
// parseTimestamp reads a UTF-8 byte range in linear memory and never
// allocates. Accepted forms (see docs/semver-and-dates.md):
//
//   YYYY-MM-DD                                   date only = 00:00:00 UTC
//   YYYY-MM-DD(T|t| )HH:MM:SS[.frac](Z|z|+HH:MM|-HH:MM)
//
// A date-time without an offset is invalid (its time zone is ambiguous).
// Years 0000-9999. `:60` (leap second) is accepted in any minute and counted
// as the next second: 23:59:60Z is the same instant as 00:00:00Z next day.
// Fractions may have any number of digits; digits beyond milliseconds are
// truncated, so the result is always a whole number of milliseconds.

// @ts-ignore: decorator
@inline const MS_PER_DAY: f64 = 86400000.0;

// @ts-ignore: decorator
@inline function byteAt(ptr: usize, i: i32): u32 {
  return <u32>load<u8>(ptr + <usize>i);
}

/** Value of the ASCII digit at `i`, or a value > 9 if it is not a digit. */
// @ts-ignore: decorator
@inline function digitAt(ptr: usize, i: i32): u32 {
  return byteAt(ptr, i) - 0x30;
}

/** Two ASCII digits at `i` as 0-99, or -1. */
function twoDigits(ptr: usize, i: i32): i32 {
  let a = digitAt(ptr, i);
  let b = digitAt(ptr, i + 1);
  if (a > 9 || b > 9) return -1;
  return <i32>(a * 10 + b);
}

// @ts-ignore: decorator
@inline function isLeapYear(y: i32): bool {
  return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
}

function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return isLeapYear(y) ? 29 : 28;
  if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
  return 31;
}

/**
 * Days since 1970-01-01 of the proleptic Gregorian date y-m-d
 * (m 1-12, d 1-31). After H. Hinnant's days_from_civil: the year is shifted
 * to start in March so the leap day is the last day of the year, and split
 * into 400-year eras of 146097 days.
 */
function daysFromCivil(y: i32, m: i32, d: i32): i32 {
  if (m <= 2) y -= 1;
  let era = (y >= 0 ? y : y - 399) / 400;
  let yoe = y - era * 400; // [0, 399]
  let mp = m > 2 ? m - 3 : m + 9; // March = 0 ... February = 11
  let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** Parses a timestamp into epoch milliseconds. Returns NaN if invalid. */
export function parseTimestamp(ptr: usize, len: i32): f64 {
  // Shortest date-time: YYYY-MM-DDTHH:MM:SSZ (20 bytes).
  if (len != 10 && len < 20) return NaN;

  // YYYY-MM-DD
  let yHi = twoDigits(ptr, 0);
  let yLo = twoDigits(ptr, 2);
  if (yHi < 0 || yLo < 0) return NaN;
  let year = yHi * 100 + yLo;
  if (byteAt(ptr, 4) != 0x2d || byteAt(ptr, 7) != 0x2d) return NaN; // '-'
  let month = twoDigits(ptr, 5);
  let day = twoDigits(ptr, 8);
  if (month < 1 || month > 12) return NaN;
  if (day < 1 || day > daysInMonth(year, month)) return NaN;
  let dayMs = <f64>daysFromCivil(year, month, day) * MS_PER_DAY;
  if (len == 10) return dayMs; // date only: midnight UTC

  // 'T' | 't' | ' '
  let sep = byteAt(ptr, 10);
  if (sep != 0x54 && sep != 0x74 && sep != 0x20) return NaN;

  // HH:MM:SS
  let hour = twoDigits(ptr, 11);
  let minute = twoDigits(ptr, 14);
  let second = twoDigits(ptr, 17);
  if (byteAt(ptr, 13) != 0x3a || byteAt(ptr, 16) != 0x3a) return NaN; // ':'
  if (hour < 0 || hour > 23) return NaN;
  if (minute < 0 || minute > 59) return NaN;
  if (second < 0 || second > 60) return NaN; // 60 = leap second, counted as the next second

  let i: i32 = 19;
  // [.fraction]: one or more digits; milliseconds kept, the rest truncated.
  let fracMs: i32 = 0;
  if (byteAt(ptr, i) == 0x2e) { // '.'
    i++;
    let start = i;
    let scale: i32 = 100;
    while (i < len) {
      let d = digitAt(ptr, i);
      if (d > 9) break;
      fracMs += <i32>d * scale;
      scale /= 10; // 100, 10, 1, then 0: further digits are ignored
      i++;
    }
    if (i == start) return NaN;
    if (i >= len) return NaN; // offset required
  }

  // Z | z | (+|-)HH:MM, and nothing after it.
  let offsetMin: i32 = 0;
  let c = byteAt(ptr, i);
  if (c == 0x5a || c == 0x7a) { // 'Z' | 'z'
    i++;
  } else if (c == 0x2b || c == 0x2d) { // '+' | '-'
    if (len - i != 6) return NaN;
    let oh = twoDigits(ptr, i + 1);
    let om = twoDigits(ptr, i + 4);
    if (byteAt(ptr, i + 3) != 0x3a) return NaN;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMin = oh * 60 + om;
    if (c == 0x2d) offsetMin = -offsetMin;
    i += 6;
  } else {
    return NaN;
  }
  if (i != len) return NaN;

  // Local time minus the offset gives UTC. All terms are integers well
  // below 2^53, so the sum is exact.
  let secondsOfDay = hour * 3600 + minute * 60 + second - offsetMin * 60;
  return dayMs + <f64>secondsOfDay * 1000.0 + <f64>fracMs;
}
