// Models pinned against R (forecast 8.x, stats) on classic datasets: the reference numbers were
// computed with Rscript (ses, thetaf, decompose, stl, ets) and are copied here with tolerances.
import { fitEtsModel, selectEts } from './ets-family.js';
import { mstl, preferLog, stl } from './stl.js';
import { classicalSeasonalIndices, fitSes, fitTheta, interpolateMissing, thetaForecast } from './theta.js';

// R's datasets::Nile[1:40], AirPassengers, nottem.
const nile = [1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935, 1110, 994, 1020, 960, 1180, 799, 958, 1140, 1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774, 840, 874, 694, 940, 833, 701, 916, 692, 1020, 1050, 969];
const airPassengers = [
  112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
  171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
  242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
  340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
];
const nottem = [
  40.6, 40.8, 44.4, 46.7, 54.1, 58.5, 57.7, 56.4, 54.3, 50.5, 42.9, 39.8, 44.2, 39.8, 45.1, 47.0, 54.1, 58.7, 66.3, 59.9, 57.0, 54.2, 39.7, 42.8, 37.5, 38.7, 39.5, 42.1, 55.7, 57.8, 56.8, 54.3, 54.3, 47.1, 41.8, 41.7,
  41.8, 40.1, 42.9, 45.8, 49.2, 52.7, 64.2, 59.6, 54.4, 49.2, 36.3, 37.6, 39.3, 37.5, 38.3, 45.5, 53.2, 57.7, 60.8, 58.2, 56.4, 49.8, 44.4, 43.6, 40.0, 40.5, 40.8, 45.1, 53.8, 59.4, 63.5, 61.0, 53.0, 50.0, 38.1, 36.3,
  39.2, 43.4, 43.4, 48.9, 50.6, 56.8, 62.5, 62.0, 57.5, 46.7, 41.6, 39.8, 39.4, 38.5, 45.3, 47.1, 51.7, 55.0, 60.4, 60.5, 54.7, 50.3, 42.3, 35.2, 40.8, 41.1, 42.8, 47.3, 50.9, 56.4, 62.2, 60.5, 55.4, 50.2, 43.0, 37.3,
  34.8, 31.3, 41.0, 43.9, 53.1, 56.9, 62.5, 60.3, 59.8, 49.2, 42.9, 41.9, 41.6, 37.1, 41.2, 46.9, 51.2, 60.4, 60.1, 61.6, 57.0, 50.9, 43.0, 38.8, 37.1, 38.4, 38.4, 46.5, 53.5, 58.4, 60.6, 58.2, 53.8, 46.6, 45.5, 40.6,
  42.4, 38.4, 40.3, 44.6, 50.9, 57.0, 62.1, 63.5, 56.3, 47.3, 43.6, 41.8, 36.2, 39.3, 44.5, 48.7, 54.2, 60.8, 65.5, 64.9, 60.1, 50.2, 42.1, 35.8, 39.4, 38.2, 40.4, 46.9, 53.4, 59.6, 66.5, 60.4, 59.2, 51.2, 42.8, 45.8,
  40.0, 42.6, 43.5, 47.1, 50.0, 60.5, 64.6, 64.0, 56.8, 48.6, 44.2, 36.4, 37.3, 35.0, 44.0, 43.9, 52.7, 58.6, 60.0, 61.1, 58.1, 49.6, 41.6, 41.3, 40.8, 41.0, 38.4, 47.4, 54.1, 58.6, 61.4, 61.8, 56.3, 50.9, 41.4, 37.1,
  42.1, 41.2, 47.3, 46.6, 52.4, 59.0, 59.6, 60.4, 57.0, 50.7, 47.8, 39.2, 39.4, 40.9, 42.4, 47.8, 52.4, 58.0, 60.7, 61.8, 58.2, 46.7, 46.6, 37.8,
];

describe('simple exponential smoothing (R: ses(Nile[1:40]))', () => {
  it('finds the least-squares alpha and initial level', () => {
    const fit = fitSes(Float64Array.from(nile));
    expect(fit.alpha).toBeCloseTo(0.3773575, 3);
    expect(fit.level0).toBeCloseTo(1114.312, 0);
    expect(fit.level).toBeCloseTo(951.2632, 1);
  });
});

describe('Theta (R: thetaf)', () => {
  it('reproduces thetaf on a non-seasonal series', () => {
    const fit = fitTheta(Float64Array.from(nile), 1);
    const f = thetaForecast(fit, 3);
    [942.4033, 939.06, 935.7166].forEach((v, i) => expect(f.mean[i]).toBeCloseTo(v, 1));
    // thetaf's 80% bound = mean - 1.2816·sd
    [740.0979, 722.8298, 706.4057].forEach((v, i) => expect((f.mean[i] as number) - 1.2815515655 * Math.sqrt(f.variance[i] as number)).toBeCloseTo(v, 0));
  });

  it('reproduces thetaf on AirPassengers (multiplicative decomposition)', () => {
    const fit = fitTheta(Float64Array.from(airPassengers), 12);
    expect(fit.seasonal).not.toBeNull();
    const f = thetaForecast(fit, 14);
    const r = [440.078191082, 428.384280557, 489.70709867, 475.704627661, 479.670388669, 545.366272154, 602.752001822, 601.100763091, 523.951492159, 456.627144913, 397.953734666, 447.644908743, 454.529768933, 442.413454458];
    r.forEach((v, i) => expect(Math.abs((f.mean[i] as number) - v)).toBeLessThan(0.05));
    const lo80 = [426.293757125, 410.401914201, 468.336081379];
    lo80.forEach((v, i) => expect(Math.abs((f.mean[i] as number) - 1.2815515655 * Math.sqrt(f.variance[i] as number) - v)).toBeLessThan(0.05));
  });

  it('computes the classical decomposition figure as R decompose()', () => {
    const figure = classicalSeasonalIndices(Float64Array.from(airPassengers), 12, true);
    const r = [0.910230367372, 0.883625320694, 1.007366287604, 0.975906012323, 0.981378027495, 1.112775826679, 1.226555542931, 1.219910969446, 1.060491932647, 0.92175724041, 0.801178082413, 0.898824389985];
    r.forEach((v, i) => expect(figure[i]).toBeCloseTo(v, 9));
  });

  it('interpolates missing values linearly', () => {
    expect([...interpolateMissing([Number.NaN, 1, Number.NaN, 3, Number.NaN], 5)]).toEqual([1, 1, 2, 3, 3]);
  });
});

describe('STL (R: stl(nottem, s.window = 11))', () => {
  it('matches R seasonal and trend', () => {
    const fit = stl(Float64Array.from(nottem), 12, 11);
    [-8.2809649154, -8.92135564083, -6.47405799637, -2.99114942608, 4.29537140439, 8.4933466986].forEach((v, i) => expect(fit.seasonal[i]).toBeCloseTo(v, 6));
    [49.0401542122, 49.0424662242, 49.0447782363].forEach((v, i) => expect(fit.trend[i]).toBeCloseTo(v, 6));
    [49.1471617208, 49.0612160231, 48.9752703253].forEach((v, i) => expect(fit.trend[237 + i]).toBeCloseTo(v, 6));
  });

  it('MSTL separates two cycles of a synthetic series', () => {
    const n = 24 * 7 * 4;
    const x = Float64Array.from({ length: n }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 24) + 5 * Math.cos((2 * Math.PI * t) / 168));
    const d = mstl(x, [24, 168]);
    expect(d.periods).toEqual([24, 168]);
    const daily = d.seasonals[0]!;
    for (let t = 200; t < 220; t++) expect(Math.abs((daily[t] as number) - 10 * Math.sin((2 * Math.PI * t) / 24))).toBeLessThan(1);
    for (let t = 200; t < 220; t++) expect(Math.abs((d.adjusted[t] as number) - 100)).toBeLessThan(6);
  });

  it('prefers the log when seasonal swings grow with the level', () => {
    expect(preferLog(Float64Array.from(airPassengers), 12)).toBe(true);
    expect(preferLog(Float64Array.from(nottem), 12)).toBe(false);
  });
});

describe('ETS by likelihood (R: ets)', () => {
  it('fits ETS(A,N,N) as R does', () => {
    const fit = fitEtsModel(Float64Array.from(nile), nile.length, { error: 'A', trend: 'N', season: 'N' }, 1)!;
    expect(fit.parameters.alpha).toBeCloseTo(0.3774, 2);
    expect(fit.parameters.level0).toBeCloseTo(1114.1, -1);
    expect(fit.aicc).toBeCloseTo(557.1067, 0);
    expect(fit.sigma2 / 24919.69).toBeCloseTo(1, 2);
  });

  it('fits ETS(M,Ad,M) to AirPassengers within 5% of R (aicc 1400.6; R also optimises the seasonal start, this fit takes it from a decomposition)', () => {
    const fit = fitEtsModel(Float64Array.from(airPassengers), 144, { error: 'M', trend: 'Ad', season: 'M' }, 12)!;
    expect(fit.aicc).toBeLessThan(1400.6 + 30);
    const f = fit.forecast(3);
    [441.8018473, 434.1186201, 496.6300468].forEach((v, i) => expect(Math.abs((f.mean[i] as number) - v) / v).toBeLessThan(0.05));
  });

  it('chooses a multiplicative season for AirPassengers', () => {
    const fit = selectEts(Float64Array.from(airPassengers), 144, 12, { multiplicative: true })!;
    expect(fit.type.season).toBe('M');
  });
});
