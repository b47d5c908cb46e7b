namespace PolicyMatch.Web.Features.Profiles;

/// <summary>The GB/T 4754-2017 codes (seeds/reference), loaded once; a profile's industry_code must be one.</summary>
public sealed class Industries
{
    private readonly Dictionary<string, string> _names;

    public Industries(IReadOnlyDictionary<string, string> names) => _names = new Dictionary<string, string>(names);

    public static Industries Load(string path)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cols = line.Split('\t');
            if (cols.Length >= 2 && cols[0].Length > 0)
            {
                names[cols[0]] = cols[1];
            }
        }
        return new Industries(names);
    }

    public int Count => _names.Count;

    public string? NameOf(string code) => _names.GetValueOrDefault(code);

    public bool Contains(string code) => _names.ContainsKey(code);
}
