using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Time;

namespace PolicyMatch.Web.Features.Measures;

public sealed record MeasureListView(
    string? Query, SearchFilters Filters, IReadOnlyList<PlanRow> Plans,
    IReadOnlyList<(MeasureVersionRow Measure, string? SnippetHtml)> Measures,
    IReadOnlyList<(ClauseRow Clause, PlanRow Plan, string SnippetHtml)> Clauses,
    string? Error);

public sealed record MeasureView(
    MeasureVersionRow Measure, PlanRow Plan, ClauseRow? Clause, IReadOnlyList<NoticeRow> Notices,
    MeasureEvaluation? Evaluation, DateOnly? AsOf, string ProfileQuery, IReadOnlyDictionary<string, string> ProfileErrors);

public sealed class MeasuresController(
    CatalogRepository catalog, SearchRepository search, ProfileValidator validator, Matching.MatchService matching, TimeProvider clock) : Controller
{
    [HttpGet("/measures")]
    public async Task<IActionResult> Index(string? q, string? district, string? kind, string? status, string? plan, CancellationToken ct)
    {
        var plans = await catalog.GetPlansAsync(ct);
        string? error = null;
        var districtName = Facts.NormaliseDistrict(district);
        if (!string.IsNullOrWhiteSpace(district) && districtName is null) error = T("所选的区无效", "That district is not valid");
        if (!string.IsNullOrWhiteSpace(kind) && !CatalogValidator.Kinds.Contains(kind)) { error = T("所选的支持方式无效", "That kind of support is not valid"); kind = null; }
        if (!string.IsNullOrWhiteSpace(status) && !MeasureStatus.Public.Any(s => s == status)) { error = T("所选的状态无效", "That status is not valid"); status = null; }
        if (!string.IsNullOrWhiteSpace(plan) && plans.All(p => p.Id != plan)) { error = T("所选的政策文件无效", "That plan is not valid"); plan = null; }
        if (q is { Length: > 200 }) { error = T("搜索词过长(最多200字)", "The search is too long (200 characters at most)"); q = q[..200]; }
        var filters = new SearchFilters(districtName, Blank(kind), Blank(status), Blank(plan));

        var all = (await catalog.GetPublishedAndRetiredAsync(ct: ct)).ToDictionary(m => m.MeasureId);
        var measures = new List<(MeasureVersionRow, string?)>();
        var clauses = new List<(ClauseRow, PlanRow, string)>();
        if (string.IsNullOrWhiteSpace(q) && !filters.RestrictsMeasures && filters.Plan is null)
        {
            measures.AddRange(all.Values.Select(m => (m, (string?)null)));
        }
        else
        {
            var hits = await search.SearchAsync(q, filters, districtName is null ? null : Reference.RegionsReaching(districtName), SearchRepository.MaxPageHits, ct);
            var clauseCache = new Dictionary<string, IReadOnlyList<ClauseRow>>();
            foreach (var hit in hits)
            {
                if (hit.DocKind == "measure" && all.TryGetValue(hit.DocKey, out var m))
                {
                    measures.Add((m, string.IsNullOrWhiteSpace(q) ? null : hit.SnippetHtml));
                }
                else if (hit.DocKind == "clause")
                {
                    var planId = hit.DocKey[..hit.DocKey.IndexOf('#')];
                    var reference = hit.DocKey[(planId.Length + 1)..];
                    if (!clauseCache.TryGetValue(planId, out var planClauses))
                    {
                        clauseCache[planId] = planClauses = await catalog.GetClausesAsync(planId, ct);
                    }
                    if (planClauses.FirstOrDefault(c => c.Ref == reference) is { } clause && plans.FirstOrDefault(p => p.Id == planId) is { } p)
                    {
                        clauses.Add((clause, p, hit.SnippetHtml));
                    }
                }
            }
        }
        if (error is not null) Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(new MeasureListView(q, filters, plans, measures, clauses, error));
    }

    [HttpGet("/measures/{id}")]
    public async Task<IActionResult> Show(string id, int? version, [FromQuery] ProfileForm profile, CancellationToken ct)
    {
        // Administrators may look at any version (a draft they are writing); everyone else sees published ones only.
        var measure = User.IsAdmin()
            ? await catalog.GetMeasureAsync(id, version, ct)
            : await catalog.GetPublicMeasureAsync(id, version, ct);
        if (measure is null || (measure.Status == MeasureStatus.Draft && !User.IsAdmin()))
        {
            return NotFound();
        }
        var plan = (await catalog.GetPlanAsync(measure.PlanId, ct))!;
        var clause = (await catalog.GetClausesAsync(plan.Id, ct)).FirstOrDefault(c => c.Ref == measure.ClauseRef);
        var notices = await catalog.GetNoticesForMeasureAsync(measure.MeasureId, ct);

        MeasureEvaluation? evaluation = null;
        DateOnly? asOf = null;
        IReadOnlyDictionary<string, string> errors = new Dictionary<string, string>();
        // A measure that gives a company nothing is not matched anywhere, so its page does not judge a profile either.
        if (!profile.IsEmpty && measure.IsMatched)
        {
            var check = validator.FromForm(profile, requireIdentity: false);
            asOf = ProfileValidator.ParseAsOf(profile.AsOf, BeijingTime.Today(clock), out var asOfError);
            errors = check.Errors;
            if (check.IsValid && asOf is { } date)
            {
                evaluation = matching.Match(matching.Prepare(measure), ProfileFacts.From(check.Profile, date), date).Evaluation;
            }
            else if (asOfError is not null)
            {
                errors = new Dictionary<string, string>(errors) { ["as_of"] = asOfError };
            }
        }
        var query = profile.IsEmpty ? "" : QueryString.Create(profile.ToQuery()).ToString();
        return View(new MeasureView(measure, plan, clause, notices, evaluation, asOf, query, errors));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string T(string zh, string en) => Infrastructure.Web.L.T(zh, en);
}
