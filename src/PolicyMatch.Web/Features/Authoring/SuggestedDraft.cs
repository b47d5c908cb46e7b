using System.Globalization;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Documents;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>A suggestion as a new measure's form: only what the sentence and its document state.</summary>
public static class SuggestedDraft
{
    /// <param name="documentWindows">the windows the whole document states: when the sentence gives none and the
    /// document exactly one (a notice's 申报时间), that one applies, and the notes say where it came from</param>
    public static MeasureForm Form(PlanRow plan, ClauseRow clause, Suggestion s, IReadOnlyCollection<string> takenIds,
        IReadOnlyList<(string ClauseRef, DateOnly? Opens, DateOnly Closes, string From)> documentWindows)
    {
        if (s.WindowFrom is null && documentWindows.DistinctBy(w => (w.Opens, w.Closes)).ToList() is [var only])
        {
            s = s with { WindowOpens = only.Opens, WindowCloses = only.Closes, WindowFrom = only.ClauseRef == Plans.ClauseParser.PreambleRef ? only.From : $"{only.From}(条款 {only.ClauseRef})" };
        }
        var from = s.Criteria.Select(c => $"{c.LabelZh} ← “{c.From}”").ToList();
        if (s.Amount is not null)
        {
            from.Add($"金额 ← “{s.Amount}”");
        }
        if (s.WindowFrom is not null)
        {
            from.Add($"申报时间 ← “{s.WindowFrom}”");
        }
        return new MeasureForm
        {
            Id = NewId(plan.Id, takenIds),
            Plan = plan.Id,
            // The clause's heading names the subject; the administrator shortens or rewrites it.
            Title = TitleFrom(clause.Heading, s.Sentence),
            Summary = s.Sentence,
            Kind = s.Kind,
            Amount = s.Amount,
            Regions = string.Join("、", plan.Regions),
            FocusAreas = string.Join("、", s.FocusAreas),
            PeriodFrom = plan.PeriodFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PeriodTo = plan.PeriodTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            WindowOpens = s.WindowOpens?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            WindowCloses = s.WindowCloses?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Clause = s.ClauseRef,
            Quote = s.Sentence,
            Notes = from.Count == 0 ? "系统建议:句中未写明申请条件。" : "系统建议,条件出处:" + string.Join(";", from),
            Criteria = s.Criteria.Select(c => MeasureEditor.FromCriterion(new CriterionDocument { Id = c.Id, LabelZh = c.LabelZh, LabelEn = c.LabelEn, Rule = c.Rule.DeepClone() })).ToList(),
        };
    }

    /// <summary>The measure id an administrator never types: "p{plan}-{n}", the first n not taken.</summary>
    public static string NewId(string planId, IReadOnlyCollection<string> takenIds)
    {
        var prefix = "p" + new string(planId.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray()) + "-";
        var taken = takenIds.ToHashSet(StringComparer.Ordinal);
        var n = 1;
        while (taken.Contains(prefix + n.ToString(CultureInfo.InvariantCulture)))
        {
            n++;
        }
        return prefix + n.ToString(CultureInfo.InvariantCulture);
    }

    private static string TitleFrom(string heading, string sentence)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(heading, @"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、])", "").Trim();
        if (text.Length == 0 || text.Length > 40)
        {
            var cut = sentence.IndexOfAny(['，', ',', '。']);
            text = cut > 0 && cut <= 40 ? sentence[..cut] : sentence[..Math.Min(40, sentence.Length)];
        }
        return text;
    }
}
