// Models pinned against R (forecast 8.x, stats) on classic datasets: the reference numbers were
// computed with Rscript (ses, thetaf, decompose, stl, ets) and are copied here with tolerances.
import { fitEtsModel, selectEts } from './ets-family.js';
import { mstl, preferLog, stl } from './stl.js';
import { classicalSeasonalIndices, fitSes, fitTheta, interpolateMissing, thetaForecast } from './theta.js';
import { airPassengers, nile, nottem } from './r-datasets.fixture.js';

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
    const r = [
      440.078191082, 428.384280557, 489.70709867, 475.704627661, 479.670388669, 545.366272154, 602.752001822, 601.100763091, 523.951492159, 456.627144913,
      397.953734666, 447.644908743, 454.529768933, 442.413454458,
    ];
    r.forEach((v, i) => expect(Math.abs((f.mean[i] as number) - v)).toBeLessThan(0.05));
    const lo80 = [426.293757125, 410.401914201, 468.336081379];
    lo80.forEach((v, i) => expect(Math.abs((f.mean[i] as number) - 1.2815515655 * Math.sqrt(f.variance[i] as number) - v)).toBeLessThan(0.05));
  });

  it('computes the classical decomposition figure as R decompose()', () => {
    const figure = classicalSeasonalIndices(Float64Array.from(airPassengers), 12, true);
    const r = [
      0.910230367372, 0.883625320694, 1.007366287604, 0.975906012323, 0.981378027495, 1.112775826679, 1.226555542931, 1.219910969446, 1.060491932647,
      0.92175724041, 0.801178082413, 0.898824389985,
    ];
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
