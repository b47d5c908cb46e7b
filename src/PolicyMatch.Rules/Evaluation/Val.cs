using System.Runtime.CompilerServices;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>The JSON/JavaScript type of a <see cref="Val"/>, plus <see cref="Unknown"/> for three-valued mode.</summary>
internal enum Kind : byte
{
    // Null is 0 so that default(Val) is JSON null (an absent fact reads as null in plain mode).
    Null = 0,
    False,
    True,

    /// <summary>A number held as decimal: every JSON number that fits.</summary>
    Number,

    /// <summary>A number decimal cannot hold (NaN, ±Infinity, beyond ±7.9e28, below 1e-28), as double.</summary>
    Float,
    String,
    Array,
    Object,

    /// <summary>Three-valued mode only: the value depends on facts that are absent; Obj is a <see cref="MissingSet"/> or null.</summary>
    Unknown,
}

/// <summary>
/// One evaluated value. A struct so that evaluating a rule does not box: numbers live in <see cref="Num"/>,
/// references (string, <c>Val[]</c>, <c>Dictionary&lt;string, Val&gt;</c>, boxed double, missing set) in <see cref="Obj"/>.
/// Arrays and objects are never mutated once shared (ProfileFacts canonicalises its own fresh arrays before that).
/// </summary>
internal readonly struct Val
{
    public readonly object? Obj;
    public readonly decimal Num;
    public readonly Kind Kind;

    private Val(Kind kind, decimal num, object? obj)
    {
        Kind = kind;
        Num = num;
        Obj = obj;
    }

    public static readonly Val Null;
    public static readonly Val True = new(Kind.True, 0m, null);
    public static readonly Val False = new(Kind.False, 0m, null);
    public static readonly Val Zero = new(Kind.Number, 0m, null);
    public static readonly Val NaN = new(Kind.Float, 0m, double.NaN);

    // Declared before Absent: static initialisers run in text order.
    private static readonly object AbsentMarker = new();

    /// <summary>A profile fact that is absent (or null): reads as null, and JsonLogic's var default applies.</summary>
    public static readonly Val Absent = new(Kind.Null, 0m, AbsentMarker);

    public bool IsAbsent => ReferenceEquals(Obj, AbsentMarker);

    public static Val Bool(bool b) => b ? True : False;

    public static Val Number(decimal d) => new(Kind.Number, d, null);

    /// <summary>A double result; kept as double (JavaScript's own type) since it came from a non-decimal operand or overflow.</summary>
    public static Val Double(double d) => new(Kind.Float, 0m, d);

    public static Val String(string s) => new(Kind.String, 0m, s);

    public static Val Array(Val[] items) => new(Kind.Array, 0m, items);

    public static Val Object(Dictionary<string, Val> members) => new(Kind.Object, 0m, members);

    public static Val Unknown(MissingSet? missing) => new(Kind.Unknown, 0m, missing);

    public bool IsNumeric => Kind is Kind.Number or Kind.Float;

    public bool IsUnknown => Kind == Kind.Unknown;

    public string Str
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.As<string>(Obj!);
    }

    public Val[] Arr
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.As<Val[]>(Obj!);
    }

    public Dictionary<string, Val> Map => Unsafe.As<Dictionary<string, Val>>(Obj!);

    public double Dbl => (double)Obj!;

    public MissingSet? Missing => Obj as MissingSet;

    /// <summary>The number as double, for mixed decimal/double arithmetic (only valid for numeric kinds).</summary>
    public double AsDouble => Kind == Kind.Number ? (double)Num : Dbl;

    public override string ToString() => Kind switch
    {
        Kind.Unknown => "<unknown>",
        Kind.String => "\"" + Str + "\"",
        _ => Js.ToJsString(this),
    };
}

/// <summary>
/// The facts whose absence made a value unknown, in order of first appearance. Immutable. In profile mode every
/// name is a schema fact, so the set is also a bit mask over fact slots and the common unions allocate nothing.
/// </summary>
internal sealed class MissingSet
{
    public MissingSet(string[] names, ulong mask, bool maskExact)
    {
        Names = names;
        Mask = mask;
        MaskExact = maskExact;
    }

    public static readonly MissingSet Empty = new([], 0, true);

    public string[] Names { get; }

    /// <summary>Bit i is set when fact slot i is in the set (meaningful when <see cref="MaskExact"/>).</summary>
    public ulong Mask { get; }

    /// <summary>True when <see cref="Mask"/> describes the whole set (all names are schema facts).</summary>
    public bool MaskExact { get; }

    public static MissingSet Of(string name) => new([name], 0, false);

    public static MissingSet? Union(MissingSet? a, MissingSet? b)
    {
        if (a is null || a.Names.Length == 0)
        {
            return b ?? a;
        }

        if (b is null || b.Names.Length == 0 || ReferenceEquals(a, b))
        {
            return a;
        }

        var exact = a.MaskExact && b.MaskExact;
        if (exact)
        {
            var m = a.Mask | b.Mask;
            if (m == a.Mask)
            {
                return a;
            }

            if (m == b.Mask)
            {
                return b;
            }
        }

        List<string>? extra = null;
        foreach (var n in b.Names)
        {
            if (System.Array.IndexOf(a.Names, n) < 0)
            {
                (extra ??= []).Add(n);
            }
        }

        return extra is null ? a : new MissingSet([.. a.Names, .. extra], a.Mask | b.Mask, exact);
    }
}
