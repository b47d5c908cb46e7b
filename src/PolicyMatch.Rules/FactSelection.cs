using PolicyMatch.Rules.Evaluation;

namespace PolicyMatch.Rules;

/// <summary>
/// The profile names some rules can read, known before they run: for code that builds the facts of many
/// profiles for one measure (the impact preview of a draft reads 100,000 stored profiles), so that
/// <see cref="ProfileFacts.TryRead"/> converts only those values and derives only the derived facts they read.
/// A derived fact read stands for its public inputs (<see cref="FactDefinition.Inputs"/>), a nested path for
/// its top-level name. Rules decide alike on the selected facts and on all of them: the values left
/// out are never read. <see cref="Of"/> gives null, meaning every fact, when a rule reads data it names only
/// while running (a computed <c>var</c> path, the whole data with <c>{"var": ""}</c>, a computed
/// <c>missing</c> list).
/// </summary>
public sealed class FactSelection
{
    private readonly bool[] _slots;
    private readonly HashSet<string> _others;

    /// <param name="read">Every top-level name the rules read: public facts, derived facts (with their inputs) and others.</param>
    private FactSelection(HashSet<string> read)
    {
        _slots = new bool[FactSlots.Count];
        _others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in read)
        {
            var slot = FactSlots.IndexOf(name);
            if (slot >= 0)
            {
                _slots[slot] = true;
            }
            else
            {
                _others.Add(name);
            }
        }

        Names = [.. read.Where(name => FactSlots.IndexOf(name) < FactSlots.PublicCount).Order(StringComparer.Ordinal)];
    }

    /// <summary>The top-level profile names selected (public facts and names outside the schema), in ordinal order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether the value of a public fact's slot is read (derived slots never come from a profile).</summary>
    internal bool Includes(int slot) => slot < FactSlots.PublicCount && _slots[slot];

    /// <summary>
    /// Whether a derived fact is read, so must be derived. One that is not stays unknown: its inputs may be
    /// selected for other rules, but deriving it would be work no rule uses.
    /// </summary>
    internal bool Derives(int slot) => slot >= FactSlots.PublicCount && _slots[slot];

    /// <summary>Whether a name outside the schema is read.</summary>
    internal bool IncludesOther(string name) => _others.Contains(name);

    /// <summary>What <paramref name="rules"/> can read; null when that is known only while they run.</summary>
    public static FactSelection? Of(IEnumerable<CompiledRule> rules)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!Collect(rule.Root, names))
            {
                return null;
            }
        }

        return new FactSelection(names);
    }

    /// <summary>Adds the names a node reads from the profile; false when one is not a constant.</summary>
    private static bool Collect(Node node, HashSet<string> names)
    {
        switch (node)
        {
            case LiteralNode:
                return true;
            case ArrayNode array:
                return array.Items.All(item => Collect(item, names));
            case OpNode { Name: "var" } op:
                // {"var": "path"} or {"var": ["path", default]}: the default is evaluated like any argument.
                return op.Args.Length > 0 && op.Args[0] is LiteralNode { Value.Kind: Kind.String } path && AddPath(path.Value.Str, names)
                    && op.Args.Skip(1).All(arg => Collect(arg, names));
            case OpNode { Name: "missing" } op:
                return op.Args.All(arg => AddPaths(arg, names));
            case OpNode { Name: "missing_some" } op:
                return Collect(op.Args[0], names) && AddPaths(op.Args[1], names);
            case OpNode op:
                // The second argument of the collection operators runs with each element as its data, not the profile.
                var scoped = op.Name is "map" or "filter" or "reduce" or "all" or "none" or "some";
                for (var i = 0; i < op.Args.Length; i++)
                {
                    if (!(scoped && i == 1) && !Collect(op.Args[i], names))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>A constant path, or a constant list of paths (<c>missing</c>'s arguments).</summary>
    private static bool AddPaths(Node node, HashSet<string> names) => node switch
    {
        LiteralNode { Value.Kind: Kind.String } one => AddPath(one.Value.Str, names),
        LiteralNode { Value.Kind: Kind.Array } list => list.Value.Arr.All(item => item.Kind == Kind.String && AddPath(item.Str, names)),
        _ => false,
    };

    private static bool AddPath(string path, HashSet<string> names)
    {
        var dot = path.IndexOf('.');
        var top = dot < 0 ? path : path[..dot];
        if (top.Length == 0)
        {
            return false; // the whole data, or a path JsonLogic reads from it
        }

        // A derived fact is derived from its inputs, which are read for it.
        names.Add(top);
        if (Facts.Find(top) is { IsDerived: true } fact)
        {
            names.UnionWith(fact.Inputs);
        }

        return true;
    }
}
