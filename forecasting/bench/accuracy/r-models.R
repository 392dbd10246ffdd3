# R's forecast package (and Prophet, where installed) on the benchmark's training files, for
# `npm run bench:accuracy` (a benchmark tool only, never a runtime dependency of the product).
# Usage: Rscript r-models.R MANIFEST.csv OUT.jsonl
# MANIFEST has name,input,periods,horizon (input: a date,value CSV of the training part;
# periods: seasonal periods separated by ";"). Writes one JSON line per series and model with
# the forecast mean, 80%/95% bounds and the fit + forecast time in ms.
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })
# Prophet (Debian: r-cran-prophet) is one more comparator where it is installed.
has_prophet <- suppressWarnings(suppressPackageStartupMessages(requireNamespace("prophet", quietly = TRUE)))
if (!has_prophet) message("R package prophet not installed: no Prophet rows (apt-get install r-cran-prophet)")

# The training file's dates as Prophet wants them: Date, or POSIXct (UTC) with a time of day.
prophet_ds <- function(dates) {
  if (any(grepl("T", dates))) as.POSIXct(dates, format = "%Y-%m-%dT%H:%M", tz = "UTC") else as.Date(dates)
}
# The h dates after the last one, at the series' spacing (calendar months for monthly and up).
future_ds <- function(ds, h) {
  last <- ds[length(ds)]
  if (inherits(ds, "POSIXct")) {
    step <- median(diff(as.numeric(ds)))
    return(last + step * seq_len(h))
  }
  days <- median(as.numeric(diff(ds)))
  by <- if (days >= 360) "year" else if (days >= 88) "3 months" else if (days >= 28) "month" else paste(round(days), "days")
  seq(last, by = by, length.out = h + 1)[-1]
}
# Prophet with its defaults (automatic yearly/weekly/daily seasonality, linear trend), one fit;
# the point forecast is yhat, and both ranges come from one set of 1000 predictive samples (what
# Prophet's own yhat_lower/yhat_upper are quantiles of, at one interval.width per call).
prophet_forecast <- function(dates, x, h) {
  df <- data.frame(ds = prophet_ds(dates), y = x) # NA values are left out of the fit by Prophet
  m <- suppressMessages(prophet::prophet(df, interval.width = 0.8, uncertainty.samples = 1000))
  future <- data.frame(ds = future_ds(df$ds, h))
  samples <- prophet::predictive_samples(m, future)$yhat
  m$uncertainty.samples <- 0 # yhat only: the samples above give the ranges
  mean <- predict(m, future)$yhat
  q <- function(p) as.numeric(apply(samples, 1, quantile, probs = p, names = FALSE))
  list(mean = mean, lower = cbind(q(0.1), q(0.025)), upper = cbind(q(0.9), q(0.975)))
}

args <- commandArgs(trailingOnly = TRUE)
manifest <- read.csv(args[1], stringsAsFactors = FALSE)
out <- file(args[2], open = "w")
# tbats is slow on long series: it runs only where the training part has at most this many
# values (say so in the report).
TBATS_MAX <- as.integer(Sys.getenv("TBATS_MAX", "1200"))

for (i in seq_len(nrow(manifest))) {
  row <- manifest[i, ]
  train <- read.csv(row$input, stringsAsFactors = FALSE)
  x <- as.numeric(train$value)
  raw <- x
  if (anyNA(x)) x <- as.numeric(na.interp(ts(x)))
  periods <- as.numeric(strsplit(as.character(row$periods), ";")[[1]])
  h <- row$horizon
  m1 <- round(periods[1])
  # ets/auto.arima/thetaf/snaive see the shortest cycle (ets cannot model cycles > 24);
  # stlf/tbats see every cycle (mstl for several).
  y1 <- ts(x, frequency = m1)
  ym <- if (length(periods) > 1) msts(x, seasonal.periods = periods) else y1
  seasonal_ok <- m1 > 1 && length(x) >= 2 * m1
  run <- function(name, f) {
    t0 <- proc.time()[["elapsed"]]
    fc <- tryCatch(f(), error = function(e) { message(row$name, " ", name, ": ", conditionMessage(e)); NULL })
    ms <- 1000 * (proc.time()[["elapsed"]] - t0)
    if (is.null(fc)) return(NULL)
    res <- list(name = row$name, model = name, ms = ms, mean = as.numeric(fc$mean),
                lo80 = as.numeric(fc$lower[, 1]), hi80 = as.numeric(fc$upper[, 1]),
                lo95 = as.numeric(fc$lower[, 2]), hi95 = as.numeric(fc$upper[, 2]))
    writeLines(toJSON(res, digits = NA, auto_unbox = TRUE), out)
    flush(out)
    fc
  }
  lv <- c(80, 95)
  fe <- run("ets", function() forecast(ets(y1), h = h, level = lv))
  fa <- run("auto.arima", function() forecast(auto.arima(y1), h = h, level = lv))
  fs <- run("stlf", function() if (seasonal_ok) stlf(ym, h = h, level = lv) else forecast(ets(y1, model = "ZZN"), h = h, level = lv))
  if (length(x) <= TBATS_MAX) run("tbats", function() forecast(tbats(ym, use.parallel = FALSE), h = h, level = lv))
  run("thetaf", function() thetaf(y1, h = h, level = lv))
  run("snaive", function() snaive(y1, h = h, level = lv))
  if (has_prophet) run("prophet", function() prophet_forecast(train$date, raw, h))
  if (!is.null(fe) && !is.null(fa) && !is.null(fs)) {
    # M4-style combination: mean of the three forecasts; bounds averaged too (as in the M4 benchmark code).
    comb <- list(name = row$name, model = "comb(ets,arima,stlf)", ms = NA,
                 mean = (as.numeric(fe$mean) + as.numeric(fa$mean) + as.numeric(fs$mean)) / 3)
    # as.numeric first: stlf on several periods returns an msts, the others a ts.
    for (k in c("lo80", "hi80", "lo95", "hi95")) {
      col <- if (k %in% c("lo80", "hi80")) 1 else 2
      part <- function(f) as.numeric(if (startsWith(k, "lo")) f$lower[, col] else f$upper[, col])
      comb[[k]] <- (part(fe) + part(fa) + part(fs)) / 3
    }
    writeLines(toJSON(comb, digits = NA, auto_unbox = TRUE), out)
  }
}
close(out)
