using System.Collections.Frozen;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>
/// Every schema fact (public, then derived) has a fixed slot, so a compiled <c>var</c> reads an array element
/// instead of looking a name up.
/// </summary>
internal static class FactSlots
{
    public static readonly string[] Names = [.. Facts.All.Select(f => f.Name)];

    public static readonly int PublicCount = Facts.Public.Count;

    public static int Count => Names.Length;

    private static readonly FrozenDictionary<string, int> Index =
        Names.Select((n, i) => (n, i)).ToFrozenDictionary(p => p.n, p => p.i, StringComparer.Ordinal);

    /// <summary>The missing set naming just this fact.</summary>
    public static readonly MissingSet[] Self = [.. Names.Select((n, i) => new MissingSet([n], 1UL << i, true))];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, MissingSet> Sets = new();

    /// <summary>The missing set of the slots in <paramref name="mask"/>, in slot order; shared per mask.</summary>
    public static MissingSet SetOf(ulong mask) => Sets.GetOrAdd(mask, static m =>
        new MissingSet([.. Enumerable.Range(0, Names.Length).Where(i => (m & (1UL << i)) != 0).Select(i => Names[i])], m, true));

    public static int IndexOf(string name) => Index.TryGetValue(name, out var i) ? i : -1;

    private static readonly byte[][] Utf8Names = [.. Names.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>The slots whose name has each length in UTF-8 bytes (a few at most).</summary>
    private static readonly int[][] SlotsByLength = [.. Enumerable.Range(0, Utf8Names.Max(n => n.Length) + 1)
        .Select(length => Enumerable.Range(0, Utf8Names.Length).Where(slot => Utf8Names[slot].Length == length).ToArray())];

    /// <summary>
    /// The slot of a name as a JSON reader holds it, unescaped UTF-8, or −1: a compare or two of bytes, with no
    /// string or UTF-16 copy (100,000 profiles of twenty names each are read per draft preview).
    /// </summary>
    public static int IndexOfUtf8(ReadOnlySpan<byte> name)
    {
        if (name.Length < SlotsByLength.Length)
        {
            foreach (var slot in SlotsByLength[name.Length])
            {
                if (name.SequenceEqual(Utf8Names[slot]))
                {
                    return slot;
                }
            }
        }

        return -1;
    }

    public static readonly int District = IndexOf(Facts.District);
    public static readonly int EstablishedOn = IndexOf(Facts.EstablishedOn);
    public static readonly int Employees = IndexOf(Facts.Employees);
    public static readonly int Revenue = IndexOf(Facts.RevenueLastYear);
    public static readonly int RdExpense = IndexOf(Facts.RdExpenseLastYear);
    public static readonly int Hightech = IndexOf(Facts.HightechCertificate);
    public static readonly int TechSmeYear = IndexOf(Facts.TechSmeYear);
    public static readonly int SrdiLevel = IndexOf(Facts.SrdiLevel);
    public static readonly int AgeYears = IndexOf(Facts.AgeYears);
    public static readonly int SizeBand = IndexOf(Facts.SizeBand);
    public static readonly int IsSme = IndexOf(Facts.IsSme);
    public static readonly int RdIntensity = IndexOf(Facts.RdIntensity);
    public static readonly int HightechValid = IndexOf(Facts.HightechValid);
    public static readonly int HightechExpiresInDays = IndexOf(Facts.HightechExpiresInDays);
    public static readonly int TechSmeValid = IndexOf(Facts.TechSmeValid);
    public static readonly int SrdiRank = IndexOf(Facts.SrdiRank);
    public static readonly int InBeijing = IndexOf(Facts.InBeijing);
}
