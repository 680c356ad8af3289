//! The astronomy under the lunar calendar, after Jean Meeus, "Astronomical Algorithms"
//! (2nd ed., 1998): true new moons (ch. 49), the Sun's apparent longitude at low precision
//! (ch. 25), and ΔT after Espenak & Meeus (NASA, "Polynomial expressions for Delta T").
//! Written from the published formulas. The new-moon series is good to a few seconds against
//! the full lunar theory; ΔT is extrapolated after the 2020s (an uncertainty of up to a minute
//! or so late in the century). Only a new moon that close to a UTC+7 midnight could move a
//! month start, and the tests check every Tết 1990–2030 against published dates.

use chrono::{Datelike, NaiveDate};

/// Vietnam's legal time (UTC+7, meridian 105° E) as a fraction of a day: the lunar calendar
/// is computed for it, not for UTC+8 as the Chinese one.
const ZONE_DAYS: f64 = 7.0 / 24.0;

/// Offset between chrono's day count from 0001-01-01 (day 1) and the Julian day number.
const JDN_OF_CE_DAY_0: i64 = 1_721_425;

/// Meeus 49.1 constant: JDE of the mean new moon k = 0 (2000-01-06).
const NEW_MOON_EPOCH: f64 = 2_451_550.097_66;

/// Mean synodic month in days (Meeus 49.1).
const SYNODIC_MONTH: f64 = 29.530_588_861;

/// Julian day number (the integer JD of the noon of that civil day).
pub(super) fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE_DAY_0
}

/// The civil date of a Julian day number.
pub(super) fn date_of_jdn(jdn: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jdn - JDN_OF_CE_DAY_0).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

fn sin_deg(x: f64) -> f64 {
    x.rem_euclid(360.0).to_radians().sin()
}

/// ΔT = TT − UT in seconds (Espenak & Meeus polynomials) for a decimal year.
pub(super) fn delta_t_seconds(y: f64) -> f64 {
    if y < 1900.0 {
        let t = y - 1860.0;
        7.62 + 0.5737 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3) - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3) - 0.000_197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)
    }
}

fn delta_t_days(jd: f64) -> f64 {
    delta_t_seconds(2000.0 + (jd - 2_451_545.0) / 365.25) / 86_400.0
}

/// JDE (Terrestrial Time) of the true new moon number `k` (k = 0: 2000-01-06), Meeus ch. 49:
/// mean phase (49.1) plus the periodic terms for the new moon and the 14 planetary arguments.
pub(super) fn new_moon_jde(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let mean = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3 + 0.000_000_000_73 * t4;
    // Eccentricity of the Earth's orbit (47.6) and the fundamental arguments (49.4–49.7).
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let mp = 201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let f = 160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let om = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;
    let periodic = -0.40720 * sin_deg(mp)
        + 0.17241 * e * sin_deg(m)
        + 0.01608 * sin_deg(2.0 * mp)
        + 0.01039 * sin_deg(2.0 * f)
        + 0.00739 * e * sin_deg(mp - m)
        - 0.00514 * e * sin_deg(mp + m)
        + 0.00208 * e * e * sin_deg(2.0 * m)
        - 0.00111 * sin_deg(mp - 2.0 * f)
        - 0.00057 * sin_deg(mp + 2.0 * f)
        + 0.00056 * e * sin_deg(2.0 * mp + m)
        - 0.00042 * sin_deg(3.0 * mp)
        + 0.00042 * e * sin_deg(m + 2.0 * f)
        + 0.00038 * e * sin_deg(m - 2.0 * f)
        - 0.00024 * e * sin_deg(2.0 * mp - m)
        - 0.00017 * sin_deg(om)
        - 0.00007 * sin_deg(mp + 2.0 * m)
        + 0.00004 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.00004 * sin_deg(3.0 * m)
        + 0.00003 * sin_deg(mp + m - 2.0 * f)
        + 0.00003 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.00003 * sin_deg(mp + m + 2.0 * f)
        + 0.00003 * sin_deg(mp - m + 2.0 * f)
        - 0.00002 * sin_deg(mp - m - 2.0 * f)
        - 0.00002 * sin_deg(3.0 * mp + m)
        + 0.00002 * sin_deg(4.0 * mp);
    // (amplitude, constant, rate per lunation) of the planetary arguments A1..A14.
    const PLANETARY: [(f64, f64, f64); 14] = [
        (0.000_325, 299.77, 0.107_408),
        (0.000_165, 251.88, 0.016_321),
        (0.000_164, 251.83, 26.651_886),
        (0.000_126, 349.42, 36.412_478),
        (0.000_110, 84.66, 18.206_239),
        (0.000_062, 141.74, 53.303_771),
        (0.000_060, 207.14, 2.453_732),
        (0.000_056, 154.84, 7.306_860),
        (0.000_047, 34.52, 27.261_239),
        (0.000_042, 207.19, 0.121_824),
        (0.000_040, 291.34, 1.844_379),
        (0.000_037, 161.72, 24.198_154),
        (0.000_035, 239.56, 25.513_099),
        (0.000_023, 331.55, 3.592_518),
    ];
    let planetary: f64 = PLANETARY
        .iter()
        .enumerate()
        .map(|(i, &(amp, c, rate))| {
            // A1 alone has a T² term.
            let arg = if i == 0 { c + rate * k - 0.009_173 * t2 } else { c + rate * k };
            amp * sin_deg(arg)
        })
        .sum();
    mean + periodic + planetary
}

/// Julian day number of the UTC+7 civil day on which new moon `k` falls: that day is the
/// first day of the lunar month.
pub(super) fn new_moon_day(k: i64) -> i64 {
    let jde = new_moon_jde(k);
    let ut = jde - delta_t_days(jde);
    (ut + ZONE_DAYS + 0.5).floor() as i64
}

/// The new moon number whose lunar month contains the civil day `jdn`.
pub(super) fn lunation_containing(jdn: i64) -> i64 {
    let mut k = ((jdn as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    // The estimate is within one lunation; settle it against the true new moons.
    while new_moon_day(k) > jdn {
        k -= 1;
    }
    while new_moon_day(k + 1) <= jdn {
        k += 1;
    }
    k
}

/// Apparent geometric longitude of the Sun in degrees [0, 360) at JDE `jde`, low precision
/// (Meeus ch. 25, ±0.01°).
pub(super) fn sun_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = 357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t;
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_289 * sin_deg(3.0 * m);
    let omega = 125.04 - 1_934.136 * t;
    (l0 + c - 0.005_69 - 0.004_78 * sin_deg(omega)).rem_euclid(360.0)
}

/// Which 30° sector (0..12, 0 = [0°, 30°)) the Sun is in at the UTC+7 midnight that begins
/// civil day `jdn`. A lunar month contains a major solar term (trung khí, a multiple of 30°)
/// exactly when the sector at its first midnight differs from the sector at the next month's.
pub(super) fn sun_sector(jdn: i64) -> i64 {
    let ut = jdn as f64 - 0.5 - ZONE_DAYS;
    let jde = ut + delta_t_days(ut);
    (sun_longitude(jde) / 30.0).floor() as i64
}
