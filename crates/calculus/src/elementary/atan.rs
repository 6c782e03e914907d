//! atan, per pair of numbers: musl's reduction to one of four identities by |x|, then its
//! odd rational approximation, with the selects written out so results are musl's bit for bit.

use super::*;

// musl's (fdlibm's) atan: |x| is reduced to |t| ≤ 7/16 by one of four identities,
// atan|x| = atan(c) + atan(t) with c = 0, 1/2, 1, 3/2 or ∞ and t a quotient of linear terms in
// |x|, and atan t ≈ t − t³·(aT0 + aT1·t² + … + aT10·t²⁰). musl picks the identity with
// branches; here every lane computes the quotient with coefficients picked by selects, which
// is the same arithmetic, so the results are musl's bit for bit (Rust's in wasm).
/// atan(1/2) to 53 bits (musl `atanhi[0]`, 0x3FDDAC67_0561BB4F) and the rest (`atanlo[0]`,
/// 0x3C7A2B7F_222F65E2).
pub(super) const ATAN_HALF: (f64, f64) = (4.63647609000806093515e-01, 2.26987774529616870924e-17);
/// atan(1) = π/4 (musl `atanhi[1]`, 0x3FE921FB_54442D18; `atanlo[1]`, 0x3C81A626_33145C07).
pub(super) const ATAN_ONE: (f64, f64) = (std::f64::consts::FRAC_PI_4, 3.06161699786838301793e-17);
/// atan(3/2) (musl `atanhi[2]`, 0x3FEF730B_D281F69B; `atanlo[2]`, 0x3C700788_7AF0CBBD).
pub(super) const ATAN_THREE_HALVES: (f64, f64) =
    (9.82793723247329054082e-01, 1.39033110312309984516e-17);
/// atan(∞) = π/2 (musl `atanhi[3]`, 0x3FF921FB_54442D18; `atanlo[3]`, 0x3C91A626_33145C07).
pub(super) const ATAN_INFINITY: (f64, f64) =
    (std::f64::consts::FRAC_PI_2, 6.12323399573676603587e-17);
/// musl `aT[0..=10]` (0x3FD55555_5555550D, 0xBFC99999_9998EBC4, 0x3FC24924_920083FF,
/// 0xBFBC71C6_FE231671, 0x3FB745CD_C54C206E, 0xBFB3B0F2_AF749A6D, 0x3FB10D66_A0D03D51,
/// 0xBFADDE2D_52DEFD9A, 0x3FA97B4B_24760DEB, 0xBFA2B444_2C6A6C2F, 0x3F90AD3A_E322DA11).
pub(super) const AT: [f64; 11] = [
    3.33333333333329318027e-01,
    -1.99999999998764832476e-01,
    1.42857142725034663711e-01,
    -1.11111104054623557880e-01,
    9.09088713343650656196e-02,
    -7.69187620504482999495e-02,
    6.66107313738753120669e-02,
    -5.83357013379057348645e-02,
    4.97687799461593236017e-02,
    -3.65315727442169155270e-02,
    1.62858201153657823623e-02,
];

/// atan x for every x in `xs`, written to `out` (the shorter length is used). No fix-up
/// pass: ±∞ and NaN come out of the same arithmetic (−1/∞ = −0, so atan ±∞ = ±π/2).
///
/// LLVM leaves the branch-free loop over [`atan_fast`] scalar (its five-way select), so the
/// column goes two numbers at a time by hand: a pair whose two numbers take the same one of
/// musl's identities, which along a plot's samples is nearly every pair, is computed in SIMD
/// lanes with that identity's constants; a pair that straddles two goes number by number.
/// Either way each number gets [`atan_fast`]'s arithmetic, so the bits are musl's.
pub(crate) fn atan_column(xs: &[f64], out: &mut [f64]) {
    let len = xs.len().min(out.len());
    let k = black_box(AtanLanes::new());
    let mut xs = xs[..len].chunks_exact(2);
    let mut out = out[..len].chunks_exact_mut(2);
    for (x, y) in (&mut xs).zip(&mut out) {
        let pair = F64x2::load(x);
        let ax = pair.and(k.magnitude);
        let mut a = [0.0; 2];
        ax.store(&mut a);
        let identity = atan_identity(a[0]);
        if atan_identity(a[1]) == identity {
            atan_pair(pair, ax, identity, &k).store(y);
        } else {
            y[0] = atan_fast(x[0]);
            y[1] = atan_fast(x[1]);
        }
    }
    for (x, y) in xs.remainder().iter().zip(out.into_remainder()) {
        *y = atan_fast(*x);
    }
}

/// Which of musl's reductions takes |x| = `ax`: 0 to 3 for c = 0, 1/2, 1 and 3/2, 4 for
/// c = ∞ (and NaN). musl compares the high word: these are the same thresholds, 7/16, 11/16,
/// 19/16, 39/16.
#[inline(always)]
pub(super) fn atan_identity(ax: f64) -> usize {
    if ax < 0.4375 {
        0
    } else if ax < 0.6875 {
        1
    } else if ax < 1.1875 {
        2
    } else if ax < 2.4375 {
        3
    } else {
        4
    }
}

/// atan's constants, each in both lanes, made once per column (see [`TanhLanes`] for why).
#[derive(Clone, Copy)]
pub(super) struct AtanLanes {
    magnitude: F64x2,
    sign: F64x2,
    one: F64x2,
    minus_one: F64x2,
    /// (c, atan c to 53 bits, the rest) for each identity of [`atan_identity`].
    identities: [(F64x2, F64x2, F64x2); 5],
    at: [F64x2; 11],
}

impl AtanLanes {
    fn new() -> AtanLanes {
        let splat = F64x2::splat;
        let identity = |c: f64, (hi, lo): (f64, f64)| (splat(c), splat(hi), splat(lo));
        AtanLanes {
            magnitude: F64x2::splat_bits(!SIGN),
            sign: F64x2::splat_bits(SIGN),
            one: splat(1.0),
            minus_one: splat(-1.0),
            identities: [
                identity(0.0, (0.0, 0.0)),
                identity(0.5, ATAN_HALF),
                identity(1.0, ATAN_ONE),
                identity(1.5, ATAN_THREE_HALVES),
                identity(0.0, ATAN_INFINITY),
            ],
            at: AT.map(splat),
        }
    }
}

/// [`atan_fast`] on two numbers that take the same `identity`, lane by lane the same
/// operations.
#[inline(always)]
pub(super) fn atan_pair(x: F64x2, ax: F64x2, identity: usize, k: &AtanLanes) -> F64x2 {
    let (c, hi, lo) = k.identities[identity];
    let t = if identity < 4 {
        (ax - c) / (k.one + c * ax)
    } else {
        k.minus_one / ax
    };
    let z = t * t;
    let w = z * z;
    let a = &k.at;
    let s1 = z * (a[0] + w * (a[2] + w * (a[4] + w * (a[6] + w * (a[8] + w * a[10])))));
    let s2 = w * (a[1] + w * (a[3] + w * (a[5] + w * (a[7] + w * a[9]))));
    let y = hi - ((t * (s1 + s2) - lo) - t);
    y.or(x.and(k.sign))
}

/// musl's atan, branch-free: atan|x| = atan c + atan t with t = (|x| − c)/(1 + c·|x|) for
/// c = 0, 1/2, 1 or 3/2, and t = −1/|x| for c = ∞. musl writes the c = 1/2 case as
/// (2|x| − 1)/(2 + |x|): the same quotient, numerator and denominator each exactly doubled.
#[inline(always)]
pub(super) fn atan_fast(x: f64) -> f64 {
    let ax = x.abs();
    // musl compares the high word: these are the same thresholds, 7/16, 11/16, 19/16, 39/16.
    let (c, (hi, lo)) = if ax < 0.4375 {
        (0.0, (0.0, 0.0))
    } else if ax < 0.6875 {
        (0.5, ATAN_HALF)
    } else if ax < 1.1875 {
        (1.0, ATAN_ONE)
    } else if ax < 2.4375 {
        (1.5, ATAN_THREE_HALVES)
    } else {
        (0.0, ATAN_INFINITY)
    };
    // For c = ∞ the quotient is set apart, so that ∞ − ∞ never happens.
    let near = ax < 2.4375;
    let t = if near { ax - c } else { -1.0 } / if near { 1.0 + c * ax } else { ax };
    let z = t * t;
    let w = z * z;
    let s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
    let s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
    // For |x| < 7/16, hi = lo = 0 and this is musl's t − t·(s1 + s2), negated twice.
    let y = hi - ((t * (s1 + s2) - lo) - t);
    f64::from_bits(y.to_bits() | (x.to_bits() & SIGN))
}
