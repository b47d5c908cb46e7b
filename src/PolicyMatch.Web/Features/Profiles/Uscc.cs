namespace PolicyMatch.Web.Features.Profiles;

/// <summary>
/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet; the last is a check
/// character over the first 17 with fixed weights (shared/data/reference/README.md).
/// </summary>
public static class Uscc
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public enum Problem { None, Length, Character, CheckCharacter }

    public static Problem Check(string? code)
    {
        if (code is null || code.Length != 18)
        {
            return Problem.Length;
        }
        var sum = 0;
        for (var i = 0; i < 18; i++)
        {
            var value = Alphabet.IndexOf(code[i]);
            if (value < 0)
            {
                return Problem.Character;
            }
            if (i < 17)
            {
                sum += value * Weights[i];
            }
        }
        var expected = Alphabet[(31 - sum % 31) % 31];
        return code[17] == expected ? Problem.None : Problem.CheckCharacter;
    }

    public static bool IsValid(string? code) => Check(code) == Problem.None;

    /// <summary>
    /// The code as typed or pasted, made comparable: spaces anywhere (a pasted 9111 0114 …, full-width 　 and
    /// no-break spaces among them) removed, full-width letters and digits made ASCII, letters upper-case. Every
    /// place a code is entered (company and tenant forms, join, claim, CSV, API) reads it through this.
    /// </summary>
    public static string? Normalise(string? code)
    {
        if (code is null)
        {
            return null;
        }
        var chars = new System.Text.StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (char.IsWhiteSpace(c) || c == '\u200B' || c == '\uFEFF')
            {
                continue;
            }
            chars.Append(c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c);
        }
        return chars.ToString().ToUpperInvariant();
    }

    /// <summary>The check character the first 17 characters call for (used by tests and demo data).</summary>
    public static char CheckCharacterFor(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        }
        return Alphabet[(31 - sum % 31) % 31];
    }
}
