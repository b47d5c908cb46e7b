namespace PolicyMatch.Web.Features.Profiles;

/// <summary>
/// The profile form as typed. Every field is a string so that whatever was entered — even "abc" in a
/// number field — comes back to the form with its error; <see cref="ProfileValidator"/> turns it into
/// a profile. Tri-state questions take "", "yes" or "no": unanswered is unknown, never "no".
/// </summary>
public sealed class ProfileForm
{
    public string? Name { get; set; }
    public string? Uscc { get; set; }
    public string? District { get; set; }
    public List<string> Zones { get; set; } = [];
    public string? IndustryCode { get; set; }
    public List<string> FocusAreas { get; set; } = [];
    public string? EstablishedOn { get; set; }
    public string? Employees { get; set; }
    public string? RevenueLastYear { get; set; }
    public string? RdExpenseLastYear { get; set; }
    public string? Hightech { get; set; }
    public string? HightechNumber { get; set; }
    public string? HightechIssuedOn { get; set; }
    public string? HightechExpiresOn { get; set; }
    public string? TechSme { get; set; }
    public string? TechSmeYear { get; set; }
    public string? SrdiLevel { get; set; }
    public string? Unicorn { get; set; }
    public string? Gazelle { get; set; }
    public string? ListingStatus { get; set; }
    public string? InventionPatents { get; set; }
    public string? PostdocWorkstation { get; set; }
    public string? UniversityJointLab { get; set; }
    public string? IncubatorTenant { get; set; }
    public string? UniversitySpinoff { get; set; }

    /// <summary>The evaluation date (default today).</summary>
    public string? AsOf { get; set; }

    /// <summary>The form's fields as query-string pairs: links to a measure carry the profile along.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToQuery()
    {
        foreach (var p in typeof(ProfileForm).GetProperties().Where(p => p.CanWrite))
        {
            switch (p.GetValue(this))
            {
                case string s when s.Length > 0:
                    yield return new(p.Name, s);
                    break;
                case List<string> list:
                    foreach (var item in list)
                    {
                        yield return new(p.Name, item);
                    }
                    break;
            }
        }
    }

    public bool IsEmpty => !ToQuery().Any(kv => kv.Key != nameof(AsOf));

    /// <summary>A stored profile back in the form, for editing: unknown facts stay blank.</summary>
    public static ProfileForm FromProfile(System.Text.Json.Nodes.JsonObject p)
    {
        static string? Text(System.Text.Json.Nodes.JsonNode? n) => n is null ? null : n.GetValueKind() == System.Text.Json.JsonValueKind.String ? n.GetValue<string>() : n.ToJsonString();
        static string? Tri(System.Text.Json.Nodes.JsonNode? n) => n is null ? null : n.GetValueKind() == System.Text.Json.JsonValueKind.True ? "yes" : n.GetValueKind() == System.Text.Json.JsonValueKind.False ? "no" : null;
        static List<string> List(System.Text.Json.Nodes.JsonNode? n) => n is System.Text.Json.Nodes.JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
        var cert = p["hightech_certificate"];
        var techSme = p["tech_sme_year"];
        return new ProfileForm
        {
            Name = Text(p["name"]), Uscc = Text(p["uscc"]), District = Text(p["district"]), Zones = List(p["zones"]),
            IndustryCode = Text(p["industry_code"]), FocusAreas = List(p["focus_areas"]), EstablishedOn = Text(p["established_on"]),
            Employees = Text(p["employees"]), RevenueLastYear = Text(p["revenue_last_year"]), RdExpenseLastYear = Text(p["rd_expense_last_year"]),
            Hightech = cert is System.Text.Json.Nodes.JsonObject ? "yes" : Tri(cert),
            HightechNumber = cert is System.Text.Json.Nodes.JsonObject c1 ? Text(c1["number"]) : null,
            HightechIssuedOn = cert is System.Text.Json.Nodes.JsonObject c2 ? Text(c2["issued_on"]) : null,
            HightechExpiresOn = cert is System.Text.Json.Nodes.JsonObject c3 ? Text(c3["expires_on"]) : null,
            TechSme = techSme is null ? null : techSme.GetValueKind() == System.Text.Json.JsonValueKind.False ? "no" : "yes",
            TechSmeYear = techSme?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? techSme.ToJsonString() : null,
            SrdiLevel = Text(p["srdi_level"]), Unicorn = Tri(p["unicorn"]), Gazelle = Tri(p["gazelle"]), ListingStatus = Text(p["listing_status"]),
            InventionPatents = Text(p["invention_patents"]), PostdocWorkstation = Tri(p["postdoc_workstation"]),
            UniversityJointLab = Tri(p["university_joint_lab"]), IncubatorTenant = Tri(p["incubator_tenant"]), UniversitySpinoff = Tri(p["university_spinoff"]),
        };
    }
}
