using System.Collections.Concurrent;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>
/// The string constants of compiled rules ("昌平区", "医药健康", …), one shared instance each. A profile built
/// afterwards stores its short strings as these instances, so a compiled comparison is a reference check:
/// same instance means equal; a different instance means different, provided the constant was registered
/// before the profile was built (<see cref="Generation"/> tells). Anything else compares characters.
/// Bounded, so rules compiled from arbitrary requests cannot grow it without limit.
/// </summary>
internal static class Vocabulary
{
    public const int MaxEntries = 50_000;
    public const int MaxLength = 64;

    private static readonly ConcurrentDictionary<string, (string Value, long Generation)> Pool = new(StringComparer.Ordinal);
    private static long _generation;

    /// <summary>Incremented by every registration; a profile records it when built.</summary>
    public static long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// The shared instance of a rule constant, and the generation it was registered in
    /// (<see cref="long.MaxValue"/> when it cannot be registered: reference checks then never decide "different").
    /// </summary>
    public static (string Value, long Generation) Register(string s)
    {
        if (Pool.TryGetValue(s, out var entry))
        {
            return entry;
        }

        if (s.Length > MaxLength || Pool.Count >= MaxEntries)
        {
            return (s, long.MaxValue);
        }

        lock (Pool)
        {
            if (Pool.TryGetValue(s, out entry))
            {
                return entry;
            }

            // Publish the entry before advancing the generation: a profile that reads the new generation
            // must find the entry when it canonicalises its strings.
            entry = (s, Interlocked.Read(ref _generation));
            Pool[s] = entry;
            Interlocked.Increment(ref _generation);
            return entry;
        }
    }

    /// <summary>The shared instance for a profile string if a rule uses it, else the string itself.</summary>
    public static string Canonical(string s) =>
        s.Length <= MaxLength && Pool.TryGetValue(s, out var entry) ? entry.Value : s;
}
