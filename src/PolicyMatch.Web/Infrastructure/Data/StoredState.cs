using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>
/// A type whose values are a closed list, each stored as a short text (<see cref="StoredState{TSelf}.Value"/>).
/// <see cref="DapperSetup"/> finds every such type in the assembly and maps it to and from that text, so a
/// row property or a query parameter can be the type while the column keeps today's strings.
/// </summary>
public interface IStoredState<TSelf> where TSelf : StoredState<TSelf>, IStoredState<TSelf>
{
    /// <summary>Every value, in the order the interface lists them.</summary>
    static abstract IReadOnlyList<TSelf> All { get; }
}

/// <summary>
/// A state, kind or action with its stored text and its one Chinese and English label. Each value is one
/// instance (the static fields of the type), so reference equality is value equality. It converts to its
/// text implicitly, so code that still holds the text (a form field, a JSON document) compares with it
/// directly: <c>row.Status == MeasureStatus.Published</c>.
/// </summary>
public abstract class StoredState<TSelf>(string value, string chinese, string english)
    where TSelf : StoredState<TSelf>, IStoredState<TSelf>
{
    public string Value { get; } = value;

    public string Chinese { get; } = chinese;

    public string English { get; } = english;

    /// <summary>The label in the request's language.</summary>
    public string Label => T(Chinese, English);

    public override string ToString() => Value;

    public static implicit operator string(StoredState<TSelf> state) => state.Value;

    /// <summary>The value stored as <paramref name="value"/>; null for null or text that is none of them.</summary>
    public static TSelf? Find(string? value)
    {
        foreach (var state in TSelf.All)
        {
            if (state.Value == value)
            {
                return state;
            }
        }
        return null;
    }

    public static bool IsKnown(string? value) => Find(value) is not null;

    /// <summary>The value stored as <paramref name="value"/>; a text that is none of them is a data error.</summary>
    public static TSelf Parse(string value) =>
        Find(value) ?? throw new FormatException($"'{value}' is not a {typeof(TSelf).Name} ({string.Join(", ", TSelf.All.Select(s => s.Value))})");

    /// <summary>The label of a stored text; the text itself when it is none of the values (never hides data).</summary>
    public static string LabelOf(string? value) => Find(value)?.Label ?? value ?? "";
}
