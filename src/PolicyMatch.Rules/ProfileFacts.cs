using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using PolicyMatch.Rules.Evaluation;

namespace PolicyMatch.Rules;

/// <summary>
/// A profile prepared for evaluation on one as-of date: the public facts in typed slots plus the derived facts,
/// computed once (see the library README for each derived fact). Immutable and thread-safe: build it once per
/// (profile, date) and evaluate it against the whole catalog. The one exception is the instance a
/// <see cref="ProfileFactsReader"/> hands out, which its next read overwrites.
/// </summary>
/// <remarks>
/// Facts whose value is absent or null are unknown. Top-level names outside <see cref="Facts"/> are kept and can be
/// read by rules (their absence is reported under their own name). Values supplied for derived names are ignored:
/// derived facts are always computed. A value of an unexpected type is kept as is (rules compare it as JsonLogic
/// would); a derived fact that cannot use it is unknown.
/// </remarks>
public sealed class ProfileFacts
{
    private static readonly HashSet<string> Beijing = new(Facts.BeijingDistricts, StringComparer.Ordinal);

    private readonly MissingSet[] _missing;
    private Dictionary<string, Val>? _extras;
    // A reference, so the lazy initialisation is atomic across threads (a Val? field could be read torn).
    private Dictionary<string, Val>? _root;

    // The values are set by Build, before the instance is handed out (and again only by a ProfileFactsReader).
    private ProfileFacts(Val[] plain, MissingSet[] missing)
    {
        Plain = plain;
        _missing = missing;
        Fast = new FastSlot[plain.Length];
    }

    public DateOnly AsOf { get; private set; }

    /// <summary>Whole years from established_on to the as-of date.</summary>
    public int? AgeYears { get; private set; }

    /// <summary>micro / small / medium / large, or null when it cannot be determined from what is known.</summary>
    public string? SizeBand { get; private set; }

    public bool? IsSme { get; private set; }

    /// <summary>rd_expense_last_year / revenue_last_year.</summary>
    public decimal? RdIntensity { get; private set; }

    public bool? HightechValid { get; private set; }

    /// <summary>The certificate's expiry date (stated, or issued_on + 3 years − 1 day).</summary>
    public DateOnly? HightechExpiresOn { get; private set; }

    public int? HightechExpiresInDays { get; private set; }

    public bool? TechSmeValid { get; private set; }

    public int? SrdiRank { get; private set; }

    public bool? InBeijing { get; private set; }

    /// <summary>Slot values as plain JsonLogic reads them; unknown facts are <see cref="Val.Absent"/>.</summary>
    internal Val[] Plain { get; }

    /// <summary>A slot as plain mode reads it, or for three-valued mode with unknown facts as Unknown carrying the public facts to supply.</summary>
    internal Val Slot(int slot, bool kleene) =>
        kleene && Plain[slot].Kind == Kind.Null ? Val.Unknown(_missing[slot]) : Plain[slot];

    /// <summary>Rule constants registered before this generation are shared instances here (see Vocabulary).</summary>
    internal long VocabularyGeneration { get; private set; }

    /// <summary>Slots as the compiled predicates read them (kinds of the three-valued view, integers as long).</summary>
    internal FastSlot[] Fast { get; }

    /// <summary>For an unknown slot: the public facts to supply (the fact itself, or a derived fact's missing inputs).</summary>
    internal MissingSet MissingOf(int slot) => _missing[slot];

    /// <summary>All known facts (and extra names) as one object, for <c>{"var": ""}</c> and names outside the schema.</summary>
    internal Val RootObject => Val.Object(_root ??= BuildRoot());

    public static ProfileFacts From(JsonObject profile, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(profile);
        // Read the generation first: every constant registered before it is canonical in this profile.
        var generation = Vocabulary.Generation;
        var plain = NewSlots(null);
        Dictionary<string, Val>? extras = null;
        foreach (var (key, node) in profile)
        {
            var slot = FactSlots.IndexOf(key);
            if (slot < FactSlots.PublicCount)
            {
                Put(plain, ref extras, slot, key, ValJson.FromNode(node));
            }
        }

        return Build(plain, extras, generation, asOf, null, null);
    }

    /// <summary>
    /// The same facts as <see cref="From(JsonObject, DateOnly)"/> from a stored profile's UTF-8 JSON, read in
    /// one pass without building a document: for code that reads many stored profiles (the impact preview of
    /// a draft reads 100,000), where parsing each into a document and checking its names cost more than
    /// deriving its facts. With <paramref name="only"/> (what one measure's rules read,
    /// <see cref="CompiledMeasure.FactsRead"/>), the other values are checked but not converted and the derived
    /// facts those rules do not read are not derived: unknown here, and never read by those rules, which
    /// decide alike.
    /// </summary>
    /// <returns>
    /// False, with no facts, when the text is not a profile the portal can read: not UTF-8, not JSON, not an
    /// object, or with a name twice in one object (at any depth), as a <see cref="JsonDocument"/> that disallows
    /// duplicate properties refuses it. The whole text is checked, selected or not (a document checks a string's
    /// UTF-8 only when it is read: here every string is checked, so what is refused does not depend on what a
    /// measure reads).
    /// </returns>
    public static bool TryRead(ReadOnlySpan<byte> utf8, DateOnly asOf, FactSelection? only, [NotNullWhen(true)] out ProfileFacts? facts) =>
        TryRead(utf8, asOf, only, null, out facts);

    /// <summary><see cref="TryRead(ReadOnlySpan{byte}, DateOnly, FactSelection?, out ProfileFacts?)"/> into a new instance, or into <paramref name="into"/> (see <see cref="ProfileFactsReader"/>).</summary>
    internal static bool TryRead(ReadOnlySpan<byte> utf8, DateOnly asOf, FactSelection? only, ProfileFacts? into, [NotNullWhen(true)] out ProfileFacts? facts)
    {
        facts = null;
        if (!Utf8.IsValid(utf8))
        {
            return false;
        }

        var generation = Vocabulary.Generation; // first, as above
        var plain = NewSlots(into);
        Dictionary<string, Val>? extras = null;
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            // A fact's name twice is found by its slot; the names outside the schema, by name.
            Span<bool> seen = stackalloc bool[FactSlots.Count];
            HashSet<string>? others = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // A fact's name is looked up as the bytes read (the portal writes names unescaped).
                string? name = null;
                var slot = reader.ValueIsEscaped
                    ? FactSlots.IndexOf(name = reader.GetString()!)
                    : FactSlots.IndexOfUtf8(reader.ValueSpan);
                if (slot >= 0)
                {
                    if (seen[slot])
                    {
                        return false;
                    }

                    seen[slot] = true;
                }
                else if (!(others ??= new(StringComparer.Ordinal)).Add(name ??= reader.GetString()!))
                {
                    return false;
                }

                reader.Read();
                // A derived name is computed, never read; others outside the selection are only checked.
                var read = slot < FactSlots.PublicCount
                    && (only is null || (slot < 0 ? only.IncludesOther(name!) : only.Includes(slot)));
                if (!read)
                {
                    if (!CheckedSkip(utf8, ref reader))
                    {
                        return false;
                    }

                    continue;
                }

                if (!ValJson.TryRead(ref reader, out var value))
                {
                    return false;
                }

                Put(plain, ref extras, slot, slot < 0 ? name! : FactSlots.Names[slot], value);
            }

            // Only white space may follow the object (the reader throws on anything else).
            if (reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // a name escaping invalid UTF-16
        }

        facts = Build(plain, extras, generation, asOf, only, into);
        return true;
    }

    /// <summary>Names an object holds inline before its check falls back to a set.</summary>
    private const int InlineNames = 16;

    /// <summary>Reads past the value at the reader (checked by the reader as it goes); false when an object in it has a name twice.</summary>
    private static bool CheckedSkip(ReadOnlySpan<byte> utf8, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!CheckedSkip(utf8, ref reader))
                    {
                        return false;
                    }
                }

                return true;
            case JsonTokenType.StartObject:
                // The names seen, as ranges of the text (unescaped names compare as bytes); a set of strings
                // once a name is escaped or there are many.
                Span<Range> seen = stackalloc Range[InlineNames];
                var count = 0;
                HashSet<string>? names = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (names is null && !reader.ValueIsEscaped && count < seen.Length)
                    {
                        var name = reader.ValueSpan;
                        foreach (var earlier in seen[..count])
                        {
                            if (utf8[earlier].SequenceEqual(name))
                            {
                                return false;
                            }
                        }

                        var start = (int)reader.TokenStartIndex + 1; // after the quote
                        seen[count++] = new Range(start, start + name.Length);
                    }
                    else
                    {
                        if (names is null)
                        {
                            names = new HashSet<string>(StringComparer.Ordinal);
                            foreach (var earlier in seen[..count])
                            {
                                names.Add(Encoding.UTF8.GetString(utf8[earlier]));
                            }
                        }

                        if (!names.Add(reader.GetString()!))
                        {
                            return false;
                        }
                    }

                    reader.Read();
                    if (!CheckedSkip(utf8, ref reader))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true; // a string, number, true, false or null: read and checked already
        }
    }

    /// <summary>Every slot absent: a new array, or the one of the instance read into.</summary>
    private static Val[] NewSlots(ProfileFacts? into)
    {
        var plain = into?.Plain ?? new Val[FactSlots.Count];
        Array.Fill(plain, Val.Absent);
        return plain;
    }

    /// <summary>
    /// One top-level value of the input into a public fact's slot (unless null) or, for a name outside the
    /// schema (slot −1), the extras. Derived facts are computed, never taken from the input: callers skip them.
    /// </summary>
    private static void Put(Val[] plain, ref Dictionary<string, Val>? extras, int slot, string key, Val v)
    {
        if (slot < 0)
        {
            (extras ??= new(StringComparer.Ordinal))[key] = v;
        }
        else if (v.Kind != Kind.Null)
        {
            plain[slot] = v;
        }
    }

    /// <summary>The facts from the public slots: normalised, derived (all, or what <paramref name="only"/> reads), canonical.</summary>
    private static ProfileFacts Build(Val[] plain, Dictionary<string, Val>? extras, long generation, DateOnly asOf, FactSelection? only, ProfileFacts? into)
    {
        var n = plain.Length;
        var district = plain[FactSlots.District];
        // GB/T 2260 codes the API accepts for district become names, so rules compare names.
        if (district.Kind == Kind.String && Facts.DistrictOfCode(district.Str) is { } name)
        {
            plain[FactSlots.District] = Val.String(name);
        }

        var missing = into?._missing ?? new MissingSet[n];
        Array.Copy(FactSlots.Self, missing, n);
        // Derive into the slots first: the three-valued view is built from them, last.
        // A derived fact no rule reads stays unknown (its own name is what it misses, as for any fact).
        var d = new Derivation(plain, missing, asOf);
        var age = Derives(FactSlots.AgeYears) ? d.AgeYears() : null;
        var band = Derives(FactSlots.SizeBand) ? d.SizeBand() : null;
        var sme = Derives(FactSlots.IsSme) ? d.IsSme() : null;
        var intensity = Derives(FactSlots.RdIntensity) ? d.RdIntensity() : null;
        DateOnly? expiresOn = null;
        int? expiresInDays = null;
        var hightech = Derives(FactSlots.HightechValid) || Derives(FactSlots.HightechExpiresInDays) ? d.HightechValid(out expiresOn, out expiresInDays) : null;
        var techSme = Derives(FactSlots.TechSmeValid) ? d.TechSmeValid() : null;
        var rank = Derives(FactSlots.SrdiRank) ? d.SrdiRank() : null;
        var inBeijing = Derives(FactSlots.InBeijing) ? d.InBeijing() : null;

        // Last, so every string in a slot (stated, normalised or derived) is the shared instance of an equal
        // rule constant: compiled comparisons rely on it.
        for (var i = 0; i < n; i++)
        {
            plain[i] = Canonical(plain[i]);
        }

        var facts = into ?? new ProfileFacts(plain, missing);
        facts.AsOf = asOf;
        facts.VocabularyGeneration = generation;
        facts._extras = extras;
        facts._root = null;
        facts.AgeYears = age;
        facts.SizeBand = band;
        facts.IsSme = sme;
        facts.RdIntensity = intensity;
        facts.HightechValid = hightech;
        facts.HightechExpiresOn = expiresOn;
        facts.HightechExpiresInDays = expiresInDays;
        facts.TechSmeValid = techSme;
        facts.SrdiRank = rank;
        facts.InBeijing = inBeijing;
        // The three-valued view of the slots, last.
        for (var i = 0; i < n; i++)
        {
            facts.Fast[i] = FastSlot.From(plain[i]);
        }

        return facts;

        bool Derives(int slot) => only is null || only.Derives(slot);
    }

    /// <summary>Short strings (and those in arrays) as the shared instances of rule constants, for reference compares.</summary>
    private static Val Canonical(Val v)
    {
        if (v.Kind == Kind.String)
        {
            var c = Vocabulary.Canonical(v.Str);
            return ReferenceEquals(c, v.Str) ? v : Val.String(c);
        }

        if (v.Kind == Kind.Array)
        {
            var items = v.Arr;
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i].Kind == Kind.String)
                {
                    items[i] = Val.String(Vocabulary.Canonical(items[i].Str));
                }
            }
        }

        return v;
    }

    /// <summary>A fact's value by name (public, derived or extra), or null when unknown.</summary>
    public JsonNode? GetValue(string factName)
    {
        var slot = FactSlots.IndexOf(factName);
        if (slot >= 0)
        {
            return ValJson.ToNode(Plain[slot]);
        }

        return _extras is not null && _extras.TryGetValue(factName, out var v) ? ValJson.ToNode(v) : null;
    }

    /// <summary>For an unknown fact, the public facts that would make it known (itself for a public fact).</summary>
    public IReadOnlyList<string> MissingInputsOf(string factName)
    {
        var slot = FactSlots.IndexOf(factName);
        return slot < 0 ? [factName] : Plain[slot].Kind == Kind.Null ? _missing[slot].Names : [];
    }

    /// <summary>The known facts, public and derived, as JSON (unknown facts are left out).</summary>
    public JsonObject ToJson() => (JsonObject)ValJson.ToNode(RootObject)!;

    private Dictionary<string, Val> BuildRoot()
    {
        var map = new Dictionary<string, Val>(StringComparer.Ordinal);
        for (var i = 0; i < Plain.Length; i++)
        {
            if (Plain[i].Kind != Kind.Null)
            {
                map[FactSlots.Names[i]] = Plain[i];
            }
        }

        if (_extras is not null)
        {
            foreach (var (k, v) in _extras)
            {
                map[k] = v;
            }
        }

        return map;
    }

    /// <summary>
    /// Computes the derived facts into their slots, and for each one that stays unknown records which public
    /// inputs to supply: the inputs that are unknown or unusable, or all of them when every input is stated
    /// but the fact still cannot be computed (e.g. revenue 0).
    /// </summary>
    private readonly ref struct Derivation(Val[] slots, MissingSet[] missing, DateOnly asOf)
    {
        private readonly Val[] _slots = slots;
        private readonly MissingSet[] _missing = missing;
        private readonly DateOnly _asOf = asOf;

        public int? AgeYears()
        {
            if (Date(FactSlots.EstablishedOn) is not { } est)
            {
                Mark(FactSlots.AgeYears, FactSlots.EstablishedOn);
                return null;
            }

            var years = _asOf.Year - est.Year;
            if (_asOf.Month < est.Month || (_asOf.Month == est.Month && _asOf.Day < est.Day))
            {
                years--;
            }

            Set(FactSlots.AgeYears, Val.Number(years));
            return years;
        }

        /// <summary>工信部联企业〔2011〕300号, industrial thresholds; decided from partial facts where they suffice.</summary>
        public string? SizeBand()
        {
            var e = Number(FactSlots.Employees);
            var r = Number(FactSlots.Revenue);
            string? band = null;
            if ((e is < 20) || (r is < 3_000_000m))
            {
                band = "micro";
            }
            else if (e is { } emp && r is { } rev)
            {
                band = emp >= 1000 && rev >= 400_000_000m ? "large"
                    : emp >= 300 && rev >= 20_000_000m ? "medium"
                    : "small";
            }

            if (band is null)
            {
                Mark(FactSlots.SizeBand, FactSlots.Employees, FactSlots.Revenue);
                return null;
            }

            Set(FactSlots.SizeBand, Val.String(band));
            return band;
        }

        /// <summary>Not large: known as soon as either threshold of "large" is known to be missed.</summary>
        public bool? IsSme()
        {
            var e = Number(FactSlots.Employees);
            var r = Number(FactSlots.Revenue);
            bool? sme = e is < 1000 || r is < 400_000_000m ? true
                : e is not null && r is not null ? false
                : null;
            if (sme is null)
            {
                Mark(FactSlots.IsSme, FactSlots.Employees, FactSlots.Revenue);
                return null;
            }

            Set(FactSlots.IsSme, Val.Bool(sme.Value));
            return sme;
        }

        public decimal? RdIntensity()
        {
            var rd = Number(FactSlots.RdExpense);
            var rev = Number(FactSlots.Revenue);
            if (rd is null || rev is null or 0m)
            {
                Mark(FactSlots.RdIntensity, FactSlots.RdExpense, FactSlots.Revenue);
                return null;
            }

            var value = rd.Value / rev.Value;
            Set(FactSlots.RdIntensity, Val.Number(value));
            return value;
        }

        public bool? HightechValid(out DateOnly? expiresOn, out int? expiresInDays)
        {
            expiresOn = null;
            expiresInDays = null;
            var cert = _slots[FactSlots.Hightech];
            if (cert.Kind == Kind.False)
            {
                Set(FactSlots.HightechValid, Val.False);
                // No certificate, so no expiry: hightech_expires_in_days stays unknown (combine it with hightech_valid).
                Mark(FactSlots.HightechExpiresInDays, FactSlots.Hightech);
                return false;
            }

            DateOnly? issued = null;
            if (cert.Kind == Kind.Object)
            {
                issued = ParseDate(cert.Map.GetValueOrDefault("issued_on"));
                expiresOn = ParseDate(cert.Map.GetValueOrDefault("expires_on")) ?? issued?.AddYears(3).AddDays(-1);
            }

            if (expiresOn is { } exp)
            {
                expiresInDays = exp.DayNumber - _asOf.DayNumber;
                Set(FactSlots.HightechExpiresInDays, Val.Number(expiresInDays.Value));
            }
            else
            {
                Mark(FactSlots.HightechExpiresInDays, FactSlots.Hightech);
            }

            bool? valid = issued is { } iss && expiresOn is { } e2 ? iss <= _asOf && _asOf <= e2
                : expiresOn is { } e3 && _asOf > e3 ? false
                : null;
            if (valid is null)
            {
                Mark(FactSlots.HightechValid, FactSlots.Hightech);
                return null;
            }

            Set(FactSlots.HightechValid, Val.Bool(valid.Value));
            return valid;
        }

        public bool? TechSmeValid()
        {
            var year = _slots[FactSlots.TechSmeYear];
            bool? valid = year.Kind == Kind.False ? false
                : year.Kind == Kind.Number && decimal.IsInteger(year.Num) ? year.Num == _asOf.Year
                : null;
            if (valid is null)
            {
                Mark(FactSlots.TechSmeValid, FactSlots.TechSmeYear);
                return null;
            }

            Set(FactSlots.TechSmeValid, Val.Bool(valid.Value));
            return valid;
        }

        public int? SrdiRank()
        {
            var level = _slots[FactSlots.SrdiLevel];
            var rank = level.Kind == Kind.String ? IndexOf(Facts.SrdiLevels, level.Str) : -1;
            if (rank < 0)
            {
                Mark(FactSlots.SrdiRank, FactSlots.SrdiLevel);
                return null;
            }

            Set(FactSlots.SrdiRank, Val.Number(rank));
            return rank;
        }

        public bool? InBeijing()
        {
            var district = _slots[FactSlots.District];
            if (district.Kind != Kind.String)
            {
                Mark(FactSlots.InBeijing, FactSlots.District);
                return null;
            }

            var inBeijing = Beijing.Contains(district.Str);
            Set(FactSlots.InBeijing, Val.Bool(inBeijing));
            return inBeijing;
        }

        private void Set(int slot, Val v) => _slots[slot] = v;

        private void Mark(int slot, params ReadOnlySpan<int> inputs)
        {
            _slots[slot] = Val.Absent;
            ulong unusable = 0, all = 0;
            foreach (var i in inputs)
            {
                all |= 1UL << i;
                if (!Usable(i))
                {
                    unusable |= 1UL << i;
                }
            }

            _missing[slot] = FactSlots.SetOf(unusable != 0 ? unusable : all);
        }

        /// <summary>Whether a public input is stated with a type its derived facts can use.</summary>
        private bool Usable(int slot)
        {
            var v = _slots[slot];
            if (slot == FactSlots.EstablishedOn)
            {
                return Date(slot) is not null;
            }

            if (slot == FactSlots.Employees || slot == FactSlots.Revenue || slot == FactSlots.RdExpense)
            {
                return v.Kind == Kind.Number;
            }

            if (slot == FactSlots.Hightech)
            {
                return v.Kind is Kind.False or Kind.Object;
            }

            if (slot == FactSlots.TechSmeYear)
            {
                return v.Kind is Kind.False or Kind.Number;
            }

            return v.Kind == Kind.String;
        }

        private decimal? Number(int slot) => _slots[slot].Kind == Kind.Number ? _slots[slot].Num : null;

        private DateOnly? Date(int slot) => ParseDate(_slots[slot]);

        private static DateOnly? ParseDate(Val v)
        {
            if (v.Kind != Kind.String || v.Str.Length < 10)
            {
                return null;
            }

            // "YYYY-MM-DD", also the date part of an ISO timestamp. Parsed by hand: this runs for every profile.
            var t = v.Str.AsSpan();
            if (t[4] != '-' || t[7] != '-' || (t.Length > 10 && t[10] != 'T')
                || !TryDigits(t[..4], out var y) || !TryDigits(t.Slice(5, 2), out var m) || !TryDigits(t.Slice(8, 2), out var day)
                || y < 1 || m is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(y, m))
            {
                return null;
            }

            return new DateOnly(y, m, day);
        }

        private static bool TryDigits(ReadOnlySpan<char> s, out int value)
        {
            value = 0;
            foreach (var c in s)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            return true;
        }

        private static int IndexOf(IReadOnlyList<string> list, string value)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] == value)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
