using System.Text.RegularExpressions;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Plans;

namespace PolicyMatch.Web.Features.Catalog;

/// <summary>A problem found in catalog data, with the JSON path of the offending value.</summary>
public sealed record CatalogProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Checks measures and notices before anything is written: the seeder, the catalog import and (later)
/// authoring all go through here, so the same rules hold however a measure arrives.
/// </summary>
public static partial class CatalogValidator
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>
    {
        "funding", "award", "certification", "loan_subsidy", "talent", "space", "service", "procurement",
    };

    /// <param name="measures">each measure with its plan (id or document name) and its path in the input</param>
    /// <param name="clausesOf">a plan's clauses by id or document name, or null for an unknown plan</param>
    public static List<CatalogProblem> ValidateMeasures(
        IEnumerable<(MeasureDocument Measure, string? Plan, string Path)> measures,
        Func<string, IReadOnlyList<Clause>?> clausesOf)
    {
        var problems = new List<CatalogProblem>();
        var ids = new Dictionary<string, string>();
        foreach (var (m, plan, path) in measures)
        {
            void Problem(string field, string message) => problems.Add(new CatalogProblem($"{path}.{field}", message));

            if (string.IsNullOrWhiteSpace(m.Id) || !Slug().IsMatch(m.Id))
            {
                Problem("id", $"'{m.Id}' is not a valid id: lowercase ASCII words joined by '-'");
            }
            else if (ids.TryGetValue(m.Id, out var first))
            {
                Problem("id", $"'{m.Id}' is used twice (first at {first})");
            }
            else
            {
                ids[m.Id] = path;
            }
            if (string.IsNullOrWhiteSpace(m.Title)) Problem("title", "is required");
            if (string.IsNullOrWhiteSpace(m.Summary)) Problem("summary", "is required");
            if (!Kinds.Contains(m.Kind ?? "")) Problem("kind", $"'{m.Kind}' is not one of {string.Join(", ", Kinds)}");
            if (Beneficiary.Parse(m.Beneficiary) is null)
            {
                Problem("beneficiary", m.Beneficiary is null
                    ? $"is required: one of {string.Join(", ", Beneficiary.All.Select(b => b.Code))}"
                    : $"'{m.Beneficiary}' is not one of {string.Join(", ", Beneficiary.All.Select(b => b.Code))}");
            }
            ValidateApply(m.Apply, Problem);
            if (m.Period is { From: { } from, To: { } to } && from > to) Problem("period", "'from' is after 'to'");
            if (m.Window is { Opens: { } opens, Closes: { } closes } && opens > closes) Problem("window", "'opens' is after 'closes'");

            var clauses = plan is null ? null : clausesOf(plan);
            if (clauses is null)
            {
                Problem("plan", $"unknown plan '{plan}'");
            }
            else if (m.Source is null || string.IsNullOrWhiteSpace(m.Source.Clause))
            {
                Problem("source.clause", "is required");
            }
            else
            {
                var subtree = ClauseParser.Subtree(clauses, m.Source.Clause).ToList();
                if (subtree.Count == 0)
                {
                    Problem("source.clause", $"the plan has no clause '{m.Source.Clause}'");
                }
                else if (string.IsNullOrWhiteSpace(m.Source.Quote))
                {
                    Problem("source.quote", "is required");
                }
                else if (!subtree.Any(c => c.Text.Contains(m.Source.Quote, StringComparison.Ordinal)))
                {
                    Problem("source.quote", $"does not occur in the text of clause {m.Source.Clause}");
                }
            }
            ValidateCriteria(m.Criteria, $"{path}.criteria", problems);
        }
        return problems;
    }

    /// <summary>The how-to-apply facts: a known channel, no blank documents, links with a title and an http(s) address.</summary>
    public static void ValidateApply(HowToApply? apply, Action<string, string> problem)
    {
        if (apply is null)
        {
            return;
        }
        if (apply.Channel is { } channel && HowToApply.Channels.All(c => c.Code != channel))
        {
            problem("apply.channel", $"'{channel}' is not one of {string.Join(", ", HowToApply.Channels.Select(c => c.Code))}");
        }
        for (var i = 0; i < (apply.Documents?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(apply.Documents![i])) problem($"apply.documents[{i}]", "is empty");
        }
        for (var i = 0; i < (apply.Links?.Count ?? 0); i++)
        {
            var link = apply.Links![i];
            if (string.IsNullOrWhiteSpace(link.Title)) problem($"apply.links[{i}].title", "is required");
            if (!IsWebAddress(link.Url)) problem($"apply.links[{i}].url", $"'{link.Url}' is not an http or https address");
        }
    }

    /// <summary>An absolute http(s) address: the page shows it as a link, so nothing else (javascript:, relative) is allowed.</summary>
    public static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static void ValidateCriteria(IReadOnlyList<CriterionDocument>? criteria, string path, List<CatalogProblem> problems)
    {
        if (criteria is null)
        {
            problems.Add(new CatalogProblem(path, "is required (an empty list means: no conditions)"));
            return;
        }
        var seen = new HashSet<string>();
        for (var i = 0; i < criteria.Count; i++)
        {
            var c = criteria[i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrWhiteSpace(c.Id) || !Slug().IsMatch(c.Id)) problems.Add(new CatalogProblem($"{at}.id", $"'{c.Id}' is not a valid id"));
            else if (!seen.Add(c.Id)) problems.Add(new CatalogProblem($"{at}.id", $"'{c.Id}' is used twice in this measure"));
            if (string.IsNullOrWhiteSpace(c.LabelZh)) problems.Add(new CatalogProblem($"{at}.label_zh", "is required"));
            // English labels are optional (issue 12: authoring in Chinese); pages fall back to the Chinese one.
            if (c.Rule is null)
            {
                problems.Add(new CatalogProblem($"{at}.rule", "is required"));
                continue;
            }
            try
            {
                if (Infrastructure.Web.RuleLimits.Probe(CompiledRule.Compile(c.Rule)) is { } limit)
                {
                    problems.Add(new CatalogProblem($"{at}.rule{TrimRoot(limit.Path)}", limit.Message));
                }
            }
            catch (JsonLogicException e)
            {
                problems.Add(new CatalogProblem($"{at}.rule{TrimRoot(e.Path)}", e.Message));
            }
        }
    }

    public static List<CatalogProblem> ValidateNotices(IReadOnlyList<NoticeDocument> notices, string path, ISet<string> knownMeasures)
    {
        var problems = new List<CatalogProblem>();
        var ids = new HashSet<string>();
        for (var i = 0; i < notices.Count; i++)
        {
            var n = notices[i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrWhiteSpace(n.Id) || !Slug().IsMatch(n.Id)) problems.Add(new CatalogProblem($"{at}.id", $"'{n.Id}' is not a valid id"));
            else if (!ids.Add(n.Id)) problems.Add(new CatalogProblem($"{at}.id", $"'{n.Id}' is used twice"));
            if (!Notices.NoticeKind.IsAuthored(n.Kind)) problems.Add(new CatalogProblem($"{at}.kind", $"'{n.Kind}' is not one of {string.Join(", ", Notices.NoticeKind.Authored)}"));
            if (string.IsNullOrWhiteSpace(n.Title)) problems.Add(new CatalogProblem($"{at}.title", "is required"));
            if (string.IsNullOrWhiteSpace(n.Body)) problems.Add(new CatalogProblem($"{at}.body", "is required"));
            if (n.Window is { Opens: { } opens, Closes: { } closes } && opens > closes) problems.Add(new CatalogProblem($"{at}.window", "'opens' is after 'closes'"));
            for (var j = 0; j < (n.Measures?.Count ?? 0); j++)
            {
                if (!knownMeasures.Contains(n.Measures![j]))
                {
                    problems.Add(new CatalogProblem($"{at}.measures[{j}]", $"no measure '{n.Measures[j]}' in the catalog"));
                }
            }
        }
        return problems;
    }

    /// <summary>The engine's paths start at the rule's root ("$"); below a field we drop that.</summary>
    private static string TrimRoot(string enginePath) =>
        enginePath.StartsWith('$') ? enginePath[1..] : (enginePath.Length > 0 && enginePath[0] != '.' && enginePath[0] != '[' ? "." + enginePath : enginePath);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}
