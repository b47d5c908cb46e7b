using System.Globalization;
using System.Text;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Incubators.IncubatorTestKit;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Incubators;

/// <summary>
/// Branches of the reader that its steps (opening the file, the header, a row's cells, the validator's errors)
/// made visible and <see cref="TenantCsvTests"/> did not reach.
/// </summary>
public class TenantCsvBranchTests
{
    private static readonly TenantCsv Reader =
        new(new ProfileValidator(Industries.Load(Path.Combine(Repo.Seeds, "reference", "gbt4754-2017-industries.tsv"))));

    public TenantCsvBranchTests() => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

    [Fact]
    public void A_binary_file_is_refused_as_not_text()
    {
        var result = Reader.Read([(byte)'n', (byte)'a', 0x00, 0x01, (byte)'\n', 0x00]);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(0, problem.Line);
        Assert.Contains("不像一个文本文件", problem.Reason);
        Assert.Equal("UTF-8", result.Encoding);
    }

    [Fact]
    public void A_file_marked_UTF8_whose_bytes_are_not_is_refused_rather_than_guessed()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("name,uscc,district\r\n"), 0xB1, 0xB1, 0xBE, 0xA9];

        var problem = Assert.Single(Reader.Read(bytes).Problems);
        Assert.Contains("不是有效的 UTF-8", problem.Reason);
    }

    [Fact]
    public void A_row_shorter_than_the_header_reports_the_missing_required_cell_under_its_column_name()
    {
        // The row ends before the district column: no cell to point at, so the problem names the column.
        var result = Reader.Read(Utf8(Lines("name,uscc,district", $"北京短行科技有限公司,{NewUscc()}")));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((2, "", "district", ""), (problem.Line, problem.Column, problem.Header, problem.Value));
        Assert.Contains("请选择所在区", problem.Reason);
        Assert.Empty(result.Tenants);
    }

    [Fact]
    public void A_file_that_passes_keeps_its_uscc_column_for_problems_found_later_and_marks_tenants()
    {
        var result = Reader.Read(Utf8(Lines("企业名称,district,统一社会信用代码", $"北京通过科技有限公司,110114,{NewUscc()}")));

        Assert.True(result.IsValid, string.Join("\n", result.Problems.Select(p => p.Reason)));
        Assert.Equal(("C", "统一社会信用代码"), result.UsccColumn);
        var tenant = Assert.Single(result.Tenants);
        Assert.Equal("昌平区", (string?)tenant.Profile["district"]);
        Assert.True((bool)tenant.Profile["incubator_tenant"]!);
    }
}
