"""The method note printed with every report: definitions, denominators, weighting, limits."""

from __future__ import annotations

from bot.answers.pay_period import CONVERSION_RULE

METHOD_NOTE: tuple[tuple[str, str], ...] = (
    (
        "What the figures are",
        "Outcomes of the trainees, not impacts of the training: there is no comparison group "
        "of similar people who did not train, so no figure says what the training caused. "
        "Every indicator is defined once in docs/indicators.md (numerator, denominator, wave, "
        "reference period, population, source: the ETF/Cedefop/ILO guide to tracer studies, "
        "the 19th and 20th ICLS resolutions, SDG 8.6.1).",
    ),
    (
        "Trainees due (response-rate denominator)",
        "All trainees of the programme (or cohort) not deleted, including those who opted out, "
        "whose wave has come by the report date: baseline for everyone; exit once the cohort's "
        "end date has passed; the N-month follow-up once N months have passed since the end "
        "date. A trainee who was sent the wave or answered it early also counts as due.",
    ),
    (
        "Fieldwork windows",
        "An answer counts for its wave only inside the wave's fieldwork window: the baseline "
        "until the training start + a grace period (without a start date: the end date + the "
        "grace), the exit and each follow-up for a set number of months from the day they "
        "open (end date; end date + N months). A response started outside its window (a "
        "'before training' baseline given after the training ended, a 6-month follow-up "
        "answered at month 14) is kept in the database but left out of the wave — response "
        "rates, indicators, weights and the export — and counted per wave in the response "
        "table. The windows used are listed under 'fieldwork windows' in the report details.",
    ),
    (
        "Respondent",
        "A trainee who recorded at least one answer in the wave, inside its fieldwork window. "
        "Each indicator is computed "
        "over the respondents who answered the questions it needs (n); questions not asked "
        "because of skip logic, skipped or left unanswered are missing, never 'no' or 0.",
    ),
    (
        "Completion and dropout",
        "From the completion status in the cohort file, over all trainees whose training has "
        "ended — respondents or not. Dropout reasons come from the exit answers of dropouts.",
    ),
    (
        "Labour-market status (ICLS, one-week reference)",
        "Employed: worked at least one hour last week, or temporarily absent from a job. "
        "Unemployed: not employed, looked for work in the last four weeks and available within "
        "two weeks. Otherwise outside the labour force. Employment rate = employed / "
        "respondents; unemployment rate = unemployed / (employed + unemployed). NEET: not "
        "employed and not in education or training (youth: ages 15-24, SDG 8.6.1).",
    ),
    (
        "Status in employment (ICSE-18)",
        "Wage employment = employees; self-employment = employers + own-account workers; "
        "shares of the employed who answered the question.",
    ),
    (
        "Formality (ILO)",
        "Employees: formal when the employer pays social-security contributions for them, or "
        "when they have paid annual and paid sick leave (once the questionnaire asks it). "
        "Employers and own-account workers: formal when the business is registered. "
        "Contributing family workers are informal and stay in the denominator.",
    ),
    (
        "Time to first job (Kaplan-Meier)",
        "Months from the end of training to the first job. Those still without a first job "
        "are censored at the wave's month (their job may come later), so the median and the "
        "share within 6 months are Kaplan-Meier estimates, shown with the share still without "
        "a first job. Those who kept a job held before the training (working at baseline, "
        "first job at month 0) are left out and reported apart.",
    ),
    (
        "Earnings",
        "Monthly earnings of the employed who answered, per currency (never converted between "
        "currencies). The "
        "change against baseline — and 'earns more than before training', everywhere it "
        "appears — uses only trainees with an observed baseline amount, compared in the "
        "baseline's currency; no work at follow-up counts as no work income. Amounts are "
        "not adjusted for inflation unless the officer supplies a consumer price index "
        "(tracer report --cpi): then the change is also given in the prices of the baseline "
        "month (follow-up amount × CPI at baseline / CPI at follow-up − baseline amount), "
        "next to the nominal change; a month missing from the index takes the latest "
        "earlier month's value.",
    ),
    (
        "Earnings paid per day, week or hour",
        "Trainees give earnings in the period they are paid; the amount is kept as typed with "
        "its period and the analysis uses the monthly equivalent: " + CONVERSION_RULE + ". "
        "Days (or hours) worked in a usual week are asked right after a daily, weekly or "
        "hourly amount; without that answer a daily or hourly amount has no monthly "
        "equivalent and is missing, never guessed. A range is used at its midpoint once the "
        "trainee confirms it; an irregular income is asked again as a usual month. An amount "
        "whose currency is unknown (not typed, no country set for the cohort or programme) is "
        "asked again and never enters the figures. The earnings table says how many amounts "
        "were converted from another pay period.",
    ),
    (
        "Expectations vs outcomes",
        "For each main expectation stated at baseline: whether the trainee says it was met, "
        "next to an objective check (get a job → employed; start a business → self-employed; "
        "earn more → earns more than before training; get a certificate → certificate at "
        "exit). 'Learn a skill' has no objective check. The same trainee's expected months "
        "to a job, expected earnings and the occupation wished (ISCO-08 unit group) are set "
        "against what happened, per cohort.",
    ),
    (
        "Ratings",
        "Satisfaction and usefulness on a 1-5 scale: mean and share rating 4 or 5.",
    ),
    (
        "Non-response weighting",
        "Weighted figures weight each respondent by trainees due / respondents in their cell "
        "(by default cohort × completion status in the cohort file × sex × age band, from the "
        "cohort file, else the baseline answer). Cells with fewer than 2 respondents are "
        "merged with their siblings (dropping the last variable), weights above 3.5 × the "
        "mean are trimmed. Every weighted figure shows the Kish effective n and the design "
        "effect (n / effective n). Weighting corrects only for what the cell variables "
        "explain.",
    ),
    (
        "Intervals",
        "Every share has a 95 % confidence interval: Wilson, or exact Clopper-Pearson when "
        "n < 30 or the share is 0 or 100 %; weighted shares use the effective n. Means have a "
        "t interval; Kaplan-Meier shares a Greenwood (log-log) interval. Intervals cover "
        "sampling and non-response variability under the weighting model, not measurement "
        "error or non-response the cells do not explain.",
    ),
    (
        "Breakdowns",
        "Sex and age band (age in the cohort's start year) from the baseline answers, falling "
        "back to the cohort import; completion status from the cohort file, else the exit "
        "answer ('unknown' if none).",
    ),
    (
        "Small cells (suppression)",
        "Figures from fewer than 5 respondents (response rates: fewer than 5 trainees due) are "
        "hidden and shown as 'x', and so are the figures that would let one compute them by "
        "subtraction from totals, sibling groups or related indicators (complementary "
        "suppression); counts, rates, weighted rates and intervals alike.",
    ),
)


def method_text() -> str:
    """The method note as plain text (CSV folder, workbook)."""
    return "\n\n".join(f"{term}: {text}" for term, text in METHOD_NOTE)
