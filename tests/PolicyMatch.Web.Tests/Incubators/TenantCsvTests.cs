using System.Globalization;
using System.Text;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Incubators.IncubatorTestKit;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Incubators;

/// <summary>Reading and checking a tenant import file: encodings, every problem with its line, column and reason.</summary>
public class TenantCsvTests
{
    private static readonly TenantCsv Reader =
        new(new ProfileValidator(Industries.Load(Path.Combine(Repo.Seeds, "reference", "gbt4754-2017-industries.tsv"))));

    // The messages asserted here are the Chinese ones, the interface's default.
    public TenantCsvTests() => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

    private const string Header = "name,uscc,district,zones,focus_areas,established_on,employees,university_spinoff";

    private static string Problems(TenantCsvResult r) => string.Join("\n", r.Problems.Select(p => $"{p.Line} {p.Column} {p.Header} [{p.Value}] {p.Reason}"));

    [Fact]
    public void Utf8_with_a_BOM_keeps_the_Chinese_names()
    {
        var uscc = NewUscc();
        var result = Reader.Read(Utf8(Lines(Header, $"北京示例生物医药有限公司,{uscc},昌平区,生命科学园,医药健康,2021-03-15,45,是"), bom: true));

        Assert.True(result.IsValid, Problems(result));
        Assert.Equal("UTF-8", result.Encoding);
        var tenant = Assert.Single(result.Tenants);
        Assert.Equal(2, tenant.Line);
        Assert.Equal("北京示例生物医药有限公司", (string?)tenant.Profile["name"]);
        Assert.Equal(uscc, (string?)tenant.Profile["uscc"]);
        Assert.Equal("生命科学园", (string?)tenant.Profile["zones"]![0]);
        Assert.Equal(45, (long)tenant.Profile["employees"]!);
        Assert.True((bool)tenant.Profile["university_spinoff"]!);
    }

    [Fact]
    public void Utf8_without_a_BOM_is_read_as_UTF8()
    {
        var result = Reader.Read(Utf8(Lines(Header, $"北京无标记科技有限公司,{NewUscc()},海淀区,,,,,")));

        Assert.True(result.IsValid, Problems(result));
        Assert.Equal("UTF-8", result.Encoding);
        Assert.Equal("北京无标记科技有限公司", (string?)Assert.Single(result.Tenants).Profile["name"]);
    }

    [Fact]
    public void GB18030_as_Excel_in_China_saves_it_is_detected_and_decoded()
    {
        // Chinese headers too, as a user of a Chinese Excel would type them.
        var text = Lines("企业名称,统一社会信用代码,所在区,重点领域,高校衍生企业", $"北京国标编码科技有限公司,{NewUscc()},昌平区,人工智能、医药健康,否");
        var bytes = Gb18030(text);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes)); // really not UTF-8

        var result = Reader.Read(bytes);

        Assert.True(result.IsValid, Problems(result));
        Assert.Equal("GB18030", result.Encoding);
        var p = Assert.Single(result.Tenants).Profile;
        Assert.Equal("北京国标编码科技有限公司", (string?)p["name"]);
        Assert.Equal(["人工智能", "医药健康"], p["focus_areas"]!.AsArray().Select(x => (string)x!));
        Assert.False((bool)p["university_spinoff"]!);
    }

    [Fact]
    public void UTF16_with_a_BOM_is_read_too()
    {
        var text = Lines(Header, $"北京双字节科技有限公司,{NewUscc()},朝阳区,,,,,");
        var result = Reader.Read([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        Assert.True(result.IsValid, Problems(result));
        Assert.Equal("UTF-16", result.Encoding);
        Assert.Equal("北京双字节科技有限公司", (string?)Assert.Single(result.Tenants).Profile["name"]);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_spreadsheet_line_column_and_reason()
    {
        var good = NewUscc();
        var badCheck = BadCheckUscc();
        var text = Lines(
            Header,
            $"北京正确科技有限公司,{good},昌平区,,,2019-05-01,45,是",      // line 2: fine
            $"北京校验位错误有限公司,{badCheck},昌平区,,,,,",                // line 3: check character
            "",                                                               // line 4: blank, skipped but counted
            $"北京多处错误有限公司,{NewUscc()},上海市,月球基地,,2019-13-45,四十五,也许", // line 5: four problems
            $",{NewUscc()},海淀区,,,,,");                                     // line 6: no name

        var result = Reader.Read(Utf8(text));

        Assert.False(result.IsValid);
        Assert.Empty(result.Tenants);
        Assert.Equal(4, result.DataRows); // the blank line is not a row of data
        var problems = result.Problems.Select(p => (p.Line, p.Column, p.Header)).ToList();
        Assert.Equal(
        [
            (3, "B", "uscc"),
            (5, "C", "district"), (5, "D", "zones"), (5, "F", "established_on"), (5, "G", "employees"), (5, "H", "university_spinoff"),
            (6, "A", "name"),
        ], problems);
        var byCell = result.Problems.ToDictionary(p => (p.Line, p.Column));
        Assert.Contains("校验位", byCell[(3, "B")].Reason);
        Assert.Equal(badCheck, byCell[(3, "B")].Value);
        Assert.Equal("上海市", byCell[(5, "C")].Value);
        Assert.Contains("月球基地", byCell[(5, "D")].Reason);
        Assert.Contains("不存在的日期", byCell[(5, "F")].Reason); // month 13: impossible, not a format error (issue 14 item 12)
        Assert.Equal("四十五", byCell[(5, "G")].Value);
        Assert.Contains("是 或 否", byCell[(5, "H")].Reason);
        Assert.Contains("企业名称", byCell[(6, "A")].Reason);
    }

    [Fact]
    public void A_USCC_that_appears_twice_in_the_file_is_a_problem_on_the_second_line()
    {
        var uscc = NewUscc();
        var result = Reader.Read(Utf8(Lines(Header,
            $"北京甲科技有限公司,{uscc},昌平区,,,,,",
            $"北京乙科技有限公司,{NewUscc()},昌平区,,,,,",
            $"北京甲科技有限公司(重复),{uscc.ToLowerInvariant()},昌平区,,,,,")));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((4, "B"), (problem.Line, problem.Column));
        Assert.Contains("第 2 行", problem.Reason);
        Assert.Empty(result.Tenants);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x20, 0x0D, 0x0A })]
    public void An_empty_file_is_refused_with_a_reason(byte[] bytes)
    {
        var result = Reader.Read(bytes);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(0, problem.Line);
        Assert.Contains("空", problem.Reason);
    }

    [Fact]
    public void A_header_without_rows_is_refused()
    {
        var problem = Assert.Single(Reader.Read(TenantCsv.Template(chineseHeaders: false)).Problems);
        Assert.Contains("没有企业数据行", problem.Reason);
    }

    [Fact]
    public void A_header_missing_a_required_column_names_the_column_and_reads_no_rows()
    {
        var result = Reader.Read(Utf8(Lines("name,uscc,employees", $"北京缺列科技有限公司,{NewUscc()},12")));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Equal("district", problem.Header);
        Assert.Contains("缺少必需的列", problem.Reason);
        Assert.Contains("district", problem.Reason);
    }

    [Fact]
    public void An_unknown_or_repeated_header_is_reported_rather_than_silently_dropped()
    {
        var result = Reader.Read(Utf8(Lines("name,uscc,district,employes,所在区", $"北京拼错科技有限公司,{NewUscc()},昌平区,12,昌平区")));

        Assert.Equal([(1, "D", "employes"), (1, "E", "所在区")], result.Problems.Select(p => (p.Line, p.Column, p.Header)));
        Assert.Contains("C", result.Problems[1].Reason);
    }

    [Fact]
    public void A_file_over_2_MB_is_refused_before_any_row_is_read()
    {
        // A valid row, then blank padding to just over the limit: refused on size alone.
        var content = Utf8(Lines(Header, $"北京很大科技有限公司,{NewUscc()},昌平区,,,,,"));
        byte[] bytes = [.. content, .. Enumerable.Repeat((byte)' ', TenantCsv.MaxBytes + 1 - content.Length)];

        var problem = Assert.Single(Reader.Read(bytes).Problems);
        Assert.Equal(0, problem.Line);
        Assert.Contains("上限为 2 MB", problem.Reason);
    }

    [Fact]
    public void More_than_5000_rows_is_refused()
    {
        var text = new StringBuilder("name,uscc,district\r\n");
        for (var i = 0; i <= TenantCsv.MaxRows; i++)
        {
            text.Append("北京企业").Append(i).Append(",x,昌平区\r\n");
        }

        var problem = Assert.Single(Reader.Read(Utf8(text.ToString())).Problems);
        Assert.Contains("最多导入 5000 行", problem.Reason);
    }

    [Fact]
    public void An_Excel_workbook_is_refused_with_a_hint_to_save_as_CSV()
    {
        var problem = Assert.Single(Reader.Read([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]).Problems);
        Assert.Contains("另存为", problem.Reason);
    }

    [Fact]
    public void What_Excel_and_people_write_is_understood()
    {
        var header = "企业名称,统一社会信用代码,所在区,所在园区/功能区,成立日期,上年营业收入(元),高新证书编号,高新证书有效期至,科技型中小企业入库年份,专精特新梯度,上市情况,独角兽企业,瞪羚企业,孵化器在孵企业";
        var result = Reader.Read(Utf8(Lines(header,
            $"北京格式宽松科技有限公司,{NewUscc().ToLowerInvariant()},110114,未来科学城;生命科学园,2019/5/1,1.2E+07,GR202411000123,2027年11月30日,否,专精特新中小企业,有上市意向,FALSE,yes,",
            $"\"北京引号,逗号科技有限公司\",{NewUscc()},昌平,,2020.1.2,\"12,000\",,,2025,无,已上市,否,no,否")));

        Assert.True(result.IsValid, Problems(result));
        var first = result.Tenants[0].Profile;
        Assert.Equal("昌平区", (string?)first["district"]);
        Assert.Equal(["未来科学城", "生命科学园"], first["zones"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("2019-05-01", (string?)first["established_on"]);
        Assert.Equal(12000000m, (decimal)first["revenue_last_year"]!);
        Assert.Equal("GR202411000123", (string?)first["hightech_certificate"]!["number"]); // details alone imply a certificate
        Assert.Equal("2027-11-30", (string?)first["hightech_certificate"]!["expires_on"]);
        Assert.False((bool)first["tech_sme_year"]!);
        Assert.Equal("specialized_sme", (string?)first["srdi_level"]);
        Assert.Equal("intends", (string?)first["listing_status"]);
        Assert.False((bool)first["unicorn"]!);
        Assert.True((bool)first["gazelle"]!);
        Assert.True((bool)first["incubator_tenant"]!); // blank: an incubator's import makes it a tenant

        var second = result.Tenants[1].Profile;
        Assert.Equal("北京引号,逗号科技有限公司", (string?)second["name"]);
        Assert.Equal("2020-01-02", (string?)second["established_on"]);
        Assert.Equal(12000m, (decimal)second["revenue_last_year"]!);
        Assert.Equal(2025, (long)second["tech_sme_year"]!);
        Assert.Equal("none", (string?)second["srdi_level"]);
        Assert.Equal("listed", (string?)second["listing_status"]);
        Assert.False((bool)second["incubator_tenant"]!); // said no: kept
    }

    [Fact]
    public void A_code_Excel_turned_into_a_number_gets_a_hint()
    {
        var problem = Assert.Single(Reader.Read(Utf8(Lines("name,uscc,district", "北京科学计数法有限公司,9.11101E+17,昌平区"))).Problems);
        Assert.Equal("B", problem.Column);
        Assert.Contains("文本", problem.Reason);
    }

    [Fact]
    public void A_certificate_said_no_but_described_and_a_stray_quote_are_both_reported()
    {
        var result = Reader.Read(Utf8(Lines("name,uscc,district,hightech,hightech_number",
            $"北京矛盾科技有限公司,{NewUscc()},昌平区,否,GR2024",
            $"北京\"引号\"科技有限公司,{NewUscc()},昌平区,,")));

        Assert.Equal([(2, "D"), (3, "A")], result.Problems.Select(p => (p.Line, p.Column)));
        Assert.Contains("引号", result.Problems[1].Reason);
    }

    [Fact]
    public void A_value_beyond_the_header_is_reported()
    {
        var problem = Assert.Single(Reader.Read(Utf8(Lines("name,uscc,district", $"北京多一列科技有限公司,{NewUscc()},昌平区,多余"))).Problems);
        Assert.Equal((2, "D", "多余"), (problem.Line, problem.Column, problem.Value));
    }

    [Fact]
    public void The_template_has_a_BOM_and_every_column_under_either_header()
    {
        foreach (var chinese in new[] { false, true })
        {
            var bytes = TenantCsv.Template(chinese);
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            var header = Encoding.UTF8.GetString(bytes[3..]).TrimEnd().Split(',');
            Assert.Equal(TenantColumns.All.Select(c => c.Key), header.Select(h => TenantColumns.ForHeader(h)!.Key));
        }
        Assert.StartsWith("name,uscc,district,zones,industry_code,focus_areas,established_on", Encoding.UTF8.GetString(TenantCsv.Template(false)[3..]));
    }

    [Fact]
    public void Column_letters_run_past_Z_as_a_spreadsheet_names_them()
    {
        Assert.Equal(["A", "Z", "AA", "AZ", "BA"], new[] { 0, 25, 26, 51, 52 }.Select(TenantCsv.Letter));
    }
}
