namespace PolicyMatch.Rules.Evaluation;

/// <summary>Evaluates a compiled node in a scope.</summary>
internal delegate Val Eval(in Scope scope);

/// <summary>
/// What a rule reads: plain data, or (at the top of a profile evaluation) the typed facts of a profile.
/// Three-valued (Kleene) evaluation applies at the top scope only: inside map/filter/reduce/all/none/some
/// the scope is an array element and evaluation is plain JsonLogic.
/// </summary>
/// Every scope that can reach a charged operator (see <see cref="Budget.IsCharged"/>) carries the evaluation's
/// budget; the fast path's interpreted subtrees of rules without such operators carry none.
internal readonly struct Scope(Val data, ProfileFacts? facts, bool kleene, Budget? budget)
{
    public readonly Val Data = data;
    public readonly ProfileFacts? Facts = facts;
    public readonly bool Kleene = kleene;
    public readonly Budget? Budget = budget;

    public Scope Nested(in Val data) => new(data, null, false, Budget);

    public Scope Plain() => new(Data, Facts, false, Budget);

    /// <summary>The budget; every entry point that can reach a charged operator supplies one.</summary>
    public Budget Charged => Budget ?? throw new InvalidOperationException("a charged operator was evaluated without a budget");
}

/// <summary>A var path resolved at compile time: its segments and, when it starts with a known fact, the fact's slot.</summary>
internal sealed class VarPath
{
    private static readonly VarPath WholeData = new([], "");

    private VarPath(string[] segments, string text)
    {
        Segments = segments;
        Text = text;
        Slot = segments.Length > 0 ? FactSlots.IndexOf(segments[0]) : -1;
        RawMissing = MissingSet.Of(text);
        TopMissing = segments.Length > 0 ? MissingSet.Of(segments[0]) : MissingSet.Empty;
    }

    public string[] Segments { get; }

    public string Text { get; }

    /// <summary>The fact slot of the first segment, or -1.</summary>
    public int Slot { get; }

    public bool IsWholeData => Segments.Length == 0;

    /// <summary>What is missing when the path is absent in raw data: the path as written.</summary>
    public MissingSet RawMissing { get; }

    /// <summary>What is missing when a profile lacks a top-level name outside the schema.</summary>
    public MissingSet TopMissing { get; }

    /// <summary>JsonLogic: the path is String(a) split on dots; undefined, null and "" mean the whole data.</summary>
    public static VarPath From(in Val a)
    {
        if (a.Kind == Kind.Null || (a.Kind == Kind.String && a.Str.Length == 0))
        {
            return WholeData;
        }

        var text = Js.ToJsString(a);
        return new VarPath(text.Split('.'), text);
    }

    public static VarPath Whole => WholeData;
}

/// <summary>How <c>var</c> reads data.</summary>
internal static class VarAccess
{
    private enum Walk
    {
        Found,

        /// <summary>A missing member or element, or a null on the way: unknown in three-valued mode.</summary>
        Absent,

        /// <summary>Reading into a stated scalar (e.g. a member of false): a known null.</summary>
        Primitive,
    }

    public static Val Read(in Scope s, VarPath path, Eval? fallback)
    {
        Val cur;
        var start = 0;
        MissingSet missing;
        if (s.Facts is { } f)
        {
            if (path.Slot >= 0)
            {
                cur = f.Plain[path.Slot];
                start = 1;
                missing = f.MissingOf(path.Slot);
            }
            else
            {
                cur = f.RootObject;
                missing = path.TopMissing;
            }
        }
        else
        {
            cur = s.Data;
            missing = path.RawMissing;
        }

        var walk = WalkPath(ref cur, path.Segments, start);
        if (walk == Walk.Found)
        {
            if (cur.Kind != Kind.Null)
            {
                return cur;
            }

            if (s.Kleene)
            {
                return fallback is null ? Val.Unknown(missing) : fallback(s);
            }

            // JavaScript returns a stated null as is (the default only replaces undefined).
            return fallback is not null && cur.IsAbsent ? fallback(s) : Val.Null;
        }

        if (fallback is not null)
        {
            return fallback(s);
        }

        return s.Kleene && walk == Walk.Absent ? Val.Unknown(missing) : Val.Null;
    }

    private static Walk WalkPath(ref Val cur, string[] segments, int start)
    {
        for (var i = start; i < segments.Length; i++)
        {
            if (cur.Kind == Kind.Null)
            {
                return Walk.Absent;
            }

            if (!Js.TryGetProperty(cur, segments[i], out var next))
            {
                return cur.Kind is Kind.Object or Kind.Array ? Walk.Absent : Walk.Primitive;
            }

            cur = next;
        }

        return Walk.Found;
    }
}
