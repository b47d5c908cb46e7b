using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Plans;

public sealed record PlanListView(IReadOnlyList<(PlanRow Plan, int Measures)> Plans);

public sealed record PlanView(PlanRow Plan, IReadOnlyList<ClauseRow> Clauses, ILookup<string, MeasureVersionRow> MeasuresByClause, long? PastVersion = null);

public sealed record CoverageRow(ClauseRow Clause, IReadOnlyList<MeasureVersionRow> Measures, bool LooksCompanyFacing);

public sealed record CoverageView(IReadOnlyList<(PlanRow Plan, IReadOnlyList<CoverageRow> Rows)> Plans);

public sealed class PlansController(CatalogRepository catalog, Documents.DocumentRepository documents) : Controller
{
    /// <summary>
    /// Words that mark a clause as giving companies something. A clause with them and no measure is
    /// worth a second look by a policy person; the list is a reviewing aid, not a rule.
    /// </summary>
    private static readonly string[] CompanyFacingWords =
        ["企业", "补贴", "奖励", "资助", "资金", "贴息", "认定", "人才", "扶持", "支持", "培育", "创新券", "首台", "融资", "上市"];

    [HttpGet("/plans")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var plans = await catalog.GetPlansAsync(ct);
        var measures = await catalog.GetPublishedAndRetiredAsync(ct: ct);
        return View(new PlanListView(plans.Select(p => (p, measures.Count(m => m.PlanId == p.Id))).ToList()));
    }

    /// <summary>A plan; with ?version= a past text of a document added in the portal (what older results cited).</summary>
    [HttpGet("/plans/{id}")]
    public async Task<IActionResult> Show(string id, long? version, CancellationToken ct)
    {
        var plan = await catalog.GetPlanAsync(id, ct);
        if (plan is null)
        {
            return NotFound();
        }
        if (version is { } v && (await documents.GetOriginAsync(plan.Id, ct))?.CurrentVersion != v)
        {
            if (await documents.GetVersionAsync(plan.Id, v, ct) is not { } past)
            {
                return NotFound();
            }
            var pastClauses = ClauseParser.Parse(past.Body)
                .Select(c => new ClauseRow { PlanId = plan.Id, Ref = c.Ref, Ordinal = c.Ordinal, Depth = c.Depth, Heading = c.Heading, Text = c.Text }).ToList();
            return View(new PlanView(plan, pastClauses, Array.Empty<MeasureVersionRow>().ToLookup(m => m.ClauseRef), v));
        }
        var clauses = await catalog.GetClausesAsync(plan.Id, ct);
        var measures = await catalog.GetPublishedAndRetiredAsync(plan.Id, ct);
        return View(new PlanView(plan, clauses, measures.ToLookup(m => m.ClauseRef)));
    }

    /// <summary>For administrators reviewing the catalog: per plan, which clauses have measures (not a public page: issue 11).</summary>
    [Authorize(Roles = Roles.Admin)]
    [HttpGet("/plans/coverage")]
    public async Task<IActionResult> Coverage(CancellationToken ct)
    {
        var result = new List<(PlanRow, IReadOnlyList<CoverageRow>)>();
        foreach (var plan in await catalog.GetPlansAsync(ct))
        {
            var measures = (await catalog.GetPublishedAndRetiredAsync(plan.Id, ct)).ToLookup(m => m.ClauseRef);
            var rows = (await catalog.GetClausesAsync(plan.Id, ct))
                .Where(c => c.Ref != ClauseParser.PreambleRef)
                .Select(c => new CoverageRow(c, measures[c.Ref].ToList(), CompanyFacingWords.Count(w => c.Text.Contains(w, StringComparison.Ordinal)) >= 2))
                .ToList();
            result.Add((plan, rows));
        }
        return View(new CoverageView(result));
    }
}
