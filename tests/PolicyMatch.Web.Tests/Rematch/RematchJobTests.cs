using System.Net;
using PolicyMatch.Web.Tests.Authoring;
using PolicyMatch.Web.Tests.Infrastructure;
using PolicyMatch.Web.Tests.Notices;
using static PolicyMatch.Web.Tests.Rematch.RematchKit;

namespace PolicyMatch.Web.Tests.Rematch;

/// <summary>
/// Publishing and retiring through the admin pages, with a Hangfire server running: the rematch job that
/// publishing enqueues refreshes the stored matches in the background. This class has its own
/// database, so the companies below are all there are.
/// </summary>
public sealed class RematchJobTests(SchedulerPortal portal) : IClassFixture<SchedulerPortal>
{
    /// <summary>
    /// A measure with two criteria: a location-only one (district = <paramref name="district"/>) and
    /// employees ≥ <paramref name="minEmployees"/>.
    /// </summary>
    private async Task<List<KeyValuePair<string, string>>> TwoCriteriaMeasureAsync(string id)
    {
        var fields = (await AdminForms.NewMeasureAsync(portal, id, "重新匹配测试措施", minEmployees: 50)).Without("m.Criteria[0].Builder.Items[1]");
        return fields.With(
            ("m.Criteria[0].Id", "in-district"), ("m.Criteria[0].LabelZh", "注册在海淀区"), ("m.Criteria[0].LabelEn", "Registered in Haidian"),
            ("m.Criteria[1].Id", "staff"), ("m.Criteria[1].LabelZh", "从业人数达到要求"), ("m.Criteria[1].LabelEn", "Enough staff"),
            ("m.Criteria[1].Mode", "builder"), ("m.Criteria[1].Builder.Combinator", "and"),
            ("m.Criteria[1].Builder.Items[0].Kind", "condition"), ("m.Criteria[1].Builder.Items[0].Fact", "employees"),
            ("m.Criteria[1].Builder.Items[0].Operator", ">="), ("m.Criteria[1].Builder.Items[0].Value", "50"));
    }

    private async Task PublishAsync(Session admin, string id, int version)
    {
        var before = await RunsAsync(portal, id);
        var publish = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/publish", [new("version", version.ToString())]);
        Assert.Equal($"/admin/measures/{id}/preview?published={version}", publish.Headers.Location!.OriginalString);
        await WaitForRunAsync(portal, id, before);
    }

    [Fact]
    public async Task Publishing_a_new_version_rematches_that_measure_so_newly_eligible_companies_appear_and_others_disappear()
    {
        // Version 1: 海淀区 and ≥ 50 staff. Version 2: 昌平区 and ≥ 5 staff.
        var haidianBig = await CreateCompanyAsync(portal, "海淀大科技", """{ "district": "海淀区", "employees": 80 }""");    // v1 eligible;   v2 fails only on location: gone
        var haidianSmall = await CreateCompanyAsync(portal, "海淀小科技", """{ "district": "海淀区", "employees": 10 }""");  // v1 near miss;  v2 fails only on location: gone
        var haidianUnknown = await CreateCompanyAsync(portal, "海淀未知科技", """{ "district": "海淀区" }""");             // v1 needs information; v2 not eligible: gone
        var changpingTen = await CreateCompanyAsync(portal, "昌平十人科技", """{ "district": "昌平区", "employees": 10 }"""); // v1 fails both: none; v2 eligible: appears
        var changpingThree = await CreateCompanyAsync(portal, "昌平三人科技", """{ "district": "昌平区", "employees": 3 }"""); // v1 none; v2 near miss (staff)
        var changpingUnknown = await CreateCompanyAsync(portal, "昌平未知科技", """{ "district": "昌平区" }""");             // v1 none; v2 needs information
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("rematch");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await TwoCriteriaMeasureAsync(id))).StatusCode);

        await PublishAsync(admin, id, 1);

        Assert.Equal("eligible", await OutcomeAsync(portal, haidianBig, id));
        Assert.Equal("near_miss", await OutcomeAsync(portal, haidianSmall, id));
        Assert.Equal("needs_information", await OutcomeAsync(portal, haidianUnknown, id));
        Assert.Null(await OutcomeAsync(portal, changpingTen, id));
        Assert.Null(await OutcomeAsync(portal, changpingThree, id));
        Assert.Null(await OutcomeAsync(portal, changpingUnknown, id));

        var action = $"/admin/measures/{id}/edit";
        var fields = AdminForms.FieldsOf(await admin.PageAsync(action), action)
            .With(("m.Criteria[0].Builder.Items[0].Value", "昌平区"), ("m.Criteria[1].Builder.Items[0].Value", "5"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SaveAsync(action, action, fields)).StatusCode);
        await PublishAsync(admin, id, 2);

        Assert.Null(await OutcomeAsync(portal, haidianBig, id));
        Assert.Null(await OutcomeAsync(portal, haidianSmall, id));
        Assert.Null(await OutcomeAsync(portal, haidianUnknown, id));
        Assert.Equal("eligible", await OutcomeAsync(portal, changpingTen, id));
        Assert.Equal("near_miss", await OutcomeAsync(portal, changpingThree, id));
        Assert.Equal("needs_information", await OutcomeAsync(portal, changpingUnknown, id));
        var stored = await StoredAsync(portal, changpingTen, id);
        Assert.Equal([Line(id, 2, "eligible", 2, 2)], stored);

        // The dashboard shows the run.
        var jobs = await admin.PageAsync("/admin/jobs");
        var run = jobs.QuerySelectorAll("tr.rematch-run").First();
        Assert.Equal(id, run.GetAttribute("data-measure"));
        Assert.Equal((await CompanyCountAsync(portal)).ToString("N0"), run.QuerySelector(".companies")!.TextContent.Trim());
        Assert.Equal("3", run.QuerySelector(".rows")!.TextContent.Trim());
    }

    [Fact]
    public async Task Retiring_a_measure_removes_its_stored_matches()
    {
        var company = await CreateCompanyAsync(portal, "海淀退役测试科技", """{ "district": "海淀区", "employees": 300 }""");
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("retire");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await TwoCriteriaMeasureAsync(id));
        await PublishAsync(admin, id, 1);
        Assert.Equal("eligible", await OutcomeAsync(portal, company, id));

        var before = await RunsAsync(portal, id);
        var retire = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/retire", []);
        Assert.Equal(HttpStatusCode.Redirect, retire.StatusCode);
        await WaitForRunAsync(portal, id, before);

        Assert.Null(await OutcomeAsync(portal, company, id));
        Assert.Equal(0, (await portal.Service<Web.Features.Rematch.StoredMatches>().CountsOfMeasureAsync(id)).Values.Sum());
    }
}
