using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>One field that differs between two versions, as text a person reads.</summary>
public sealed record FieldChange(string Name, string Zh, string En, string Before, string After, bool IsLongText);

public enum CriterionChangeKind { Added, Removed, Changed }

/// <summary>A criterion that differs, matched by id; <see cref="Parts"/> names what changed (label_zh, label_en, rule).</summary>
public sealed record CriterionChange(string Id, CriterionChangeKind Kind, CriterionDocument? Before, CriterionDocument? After, IReadOnlyList<string> Parts);

public sealed record MeasureDiff(IReadOnlyList<FieldChange> Fields, IReadOnlyList<CriterionChange> Criteria, bool CriteriaReordered)
{
    public bool IsEmpty => Fields.Count == 0 && Criteria.Count == 0 && !CriteriaReordered;

    /// <summary>The catalog names of what changed ("title", "criteria"), for the audit log.</summary>
    public IReadOnlyList<string> ChangedNames =>
        [.. Fields.Select(f => f.Name), .. Criteria.Count > 0 || CriteriaReordered ? new[] { "criteria" } : []];

    /// <summary>Field by field; criteria compared by id, so a reworded rule is one change, not a removal and an addition.</summary>
    public static MeasureDiff Compare(MeasureDocument before, MeasureDocument after)
    {
        var fields = new List<FieldChange>();
        void Field(string name, string zh, string en, string? a, string? b, bool longText = false)
        {
            if ((a ?? "") != (b ?? ""))
            {
                fields.Add(new FieldChange(name, zh, en, a ?? "", b ?? "", longText));
            }
        }
        static string List(IReadOnlyList<string>? items) => string.Join("、", items ?? []);
        static string Range(DateOnly? from, DateOnly? to) =>
            from is null && to is null ? "" : $"{from?.ToString("yyyy-MM-dd") ?? "…"} — {to?.ToString("yyyy-MM-dd") ?? "…"}";

        Field("title", "标题", "Title", before.Title, after.Title);
        Field("title_en", "英文标题", "English title", before.TitleEn, after.TitleEn);
        Field("summary", "摘要", "Summary", before.Summary, after.Summary, longText: true);
        Field("kind", "支持方式", "Kind", Kind(before.Kind), Kind(after.Kind));
        Field("amount", "金额", "Amount", before.Amount, after.Amount);
        Field("departments", "责任单位", "Departments", List(before.Departments), List(after.Departments));
        Field("regions", "适用地区", "Regions", List(before.Regions), List(after.Regions));
        Field("focus_areas", "重点领域", "Focus areas", List(before.FocusAreas), List(after.FocusAreas));
        Field("period", "执行期", "Period", Range(before.Period?.From, before.Period?.To), Range(after.Period?.From, after.Period?.To));
        Field("window", "申报时间", "Application window", Range(before.Window?.Opens, before.Window?.Closes), Range(after.Window?.Opens, after.Window?.Closes));
        Field("source.clause", "条款", "Clause", before.Source.Clause, after.Source.Clause);
        Field("source.quote", "原文摘录", "Quote", before.Source.Quote, after.Source.Quote, longText: true);
        Field("notes", "说明", "Notes", before.Notes, after.Notes, longText: true);

        var criteria = new List<CriterionChange>();
        var afterById = after.Criteria.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        var beforeById = before.Criteria.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var b in before.Criteria)
        {
            if (!afterById.TryGetValue(b.Id, out var a))
            {
                criteria.Add(new CriterionChange(b.Id, CriterionChangeKind.Removed, b, null, []));
                continue;
            }
            var parts = new List<string>();
            if (b.LabelZh != a.LabelZh) parts.Add("label_zh");
            if (b.LabelEn != a.LabelEn) parts.Add("label_en");
            if (!JsonNode.DeepEquals(b.Rule, a.Rule)) parts.Add("rule");
            if (parts.Count > 0)
            {
                criteria.Add(new CriterionChange(b.Id, CriterionChangeKind.Changed, b, a, parts));
            }
        }
        criteria.AddRange(after.Criteria.Where(a => !beforeById.ContainsKey(a.Id))
            .Select(a => new CriterionChange(a.Id, CriterionChangeKind.Added, null, a, [])));
        var common = before.Criteria.Select(c => c.Id).Where(afterById.ContainsKey).ToList();
        var reordered = !common.SequenceEqual(after.Criteria.Select(c => c.Id).Where(beforeById.ContainsKey));
        return new MeasureDiff(fields, criteria, reordered);
    }

    private static string Kind(string kind) => Reference.KindLabel(kind, english: false) is var zh && zh != kind ? $"{zh} ({kind})" : kind;

    /// <summary>A rule as the builder's sentence when it has a builder shape, else its JSON.</summary>
    public static (string Text, bool IsSentence) RuleText(JsonNode? rule, bool english) =>
        CriteriaBuilder.Read(rule) is { Root: { } root } ? (CriteriaBuilder.Describe(root, english), true) : (AuthoringJson.Compact(rule), false);
}

public enum DiffOp { Same, Removed, Added }

/// <summary>
/// A readable diff of two texts: Chinese is compared character by character (it has no spaces),
/// runs of Latin letters and digits as words. Longest common subsequence; texts too long for that
/// come back as one removal and one addition.
/// </summary>
public static class TextDiff
{
    private const long MaxCells = 1_000_000;

    public static IReadOnlyList<(DiffOp Op, string Text)> Segments(string before, string after)
    {
        var a = Tokens(before);
        var b = Tokens(after);
        if ((long)a.Count * b.Count > MaxCells)
        {
            return [(DiffOp.Removed, before), (DiffOp.Added, after)];
        }
        // lcs[i, j] = length of the LCS of a[i..] and b[j..]
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var result = new List<(DiffOp Op, string Text)>();
        void Emit(DiffOp op, string token)
        {
            if (result.Count > 0 && result[^1].Op == op)
            {
                result[^1] = (op, result[^1].Text + token);
            }
            else
            {
                result.Add((op, token));
            }
        }
        int x = 0, y = 0;
        while (x < a.Count && y < b.Count)
        {
            if (a[x] == b[y]) { Emit(DiffOp.Same, a[x]); x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) { Emit(DiffOp.Removed, a[x]); x++; }
            else { Emit(DiffOp.Added, b[y]); y++; }
        }
        for (; x < a.Count; x++) Emit(DiffOp.Removed, a[x]);
        for (; y < b.Count; y++) Emit(DiffOp.Added, b[y]);
        return result;
    }

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (char.IsAsciiLetterOrDigit(text[i]))
            {
                while (i < text.Length && char.IsAsciiLetterOrDigit(text[i])) i++;
            }
            else
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
            }
            tokens.Add(text[start..i]);
        }
        return tokens;
    }
}
