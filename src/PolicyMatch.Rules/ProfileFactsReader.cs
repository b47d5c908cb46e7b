using System.Diagnostics.CodeAnalysis;

namespace PolicyMatch.Rules;

/// <summary>
/// Reads stored profiles one after another into one <see cref="ProfileFacts"/>, for code that evaluates each
/// profile as soon as it is read and keeps none: the impact preview of a draft reads 100,000, and a new
/// instance for each (three arrays of every slot) was most of what it allocated. Reads as
/// <see cref="ProfileFacts.TryRead(ReadOnlySpan{byte}, DateOnly, FactSelection?, out ProfileFacts?)"/> does.
/// </summary>
/// <remarks>
/// The facts a read gives are valid until the next read, which overwrites them: evaluate them, never keep
/// them. Not thread-safe: one reader per thread.
/// </remarks>
public sealed class ProfileFactsReader
{
    private ProfileFacts? _facts;

    /// <inheritdoc cref="ProfileFacts.TryRead(ReadOnlySpan{byte}, DateOnly, FactSelection?, out ProfileFacts?)"/>
    public bool TryRead(ReadOnlySpan<byte> utf8, DateOnly asOf, FactSelection? only, [NotNullWhen(true)] out ProfileFacts? facts)
    {
        if (!ProfileFacts.TryRead(utf8, asOf, only, _facts, out facts))
        {
            return false;
        }

        _facts = facts;
        return true;
    }
}
