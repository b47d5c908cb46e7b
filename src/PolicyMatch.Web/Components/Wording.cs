using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Components;

/// <summary>Phrases with numbers, in both languages with English plurals ("1 of 1 criterion met").</summary>
public static class Wording
{
    public static string CriteriaMet(int met, int total)
    {
        if (met is < 0 or >= MaxCachedCriteria || total is < 0 or >= MaxCachedCriteria)
        {
            return CriteriaMetText(met, total, English);
        }
        // Every card shows this phrase: the few (met, total) pairs a catalog has are built once per language.
        var cache = English ? CriteriaMetEn : CriteriaMetZh;
        return cache[met, total] ??= CriteriaMetText(met, total, English);
    }

    private const int MaxCachedCriteria = 32;
    private static readonly string?[,] CriteriaMetZh = new string?[MaxCachedCriteria, MaxCachedCriteria];
    private static readonly string?[,] CriteriaMetEn = new string?[MaxCachedCriteria, MaxCachedCriteria];

    private static string CriteriaMetText(int met, int total, bool english) =>
        english ? (total == 1 ? $"{met} of 1 criterion met" : $"{met} of {total} criteria met") : $"满足 {met} / {total} 项条件";

    public static string Measures(int n) => T($"{n} 项措施", n == 1 ? "1 measure" : $"{n} measures");

    public static string NeededBy(int n) => T($"({n} 项措施需要)", n == 1 ? "(needed by 1 measure)" : $"(needed by {n} measures)");

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
