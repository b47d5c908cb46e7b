using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Catalog;

/// <summary>Migrations, seeder and repository on a real database (SQLite file or PostgreSQL), without the web host.</summary>
public sealed class DatabaseTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("db");
    private readonly TestDatabase _database;
    private readonly IDbConnectionFactory _connections;
    private readonly CatalogRepository _catalog;

    public DatabaseTests()
    {
        DapperSetup.Configure();
        _database = TestDatabase.Create(Path.Combine(_dir, "sub"), "pm");
        _connections = _database.Connections();
        _catalog = new CatalogRepository(_connections, TimeProvider.System);
    }

    private Seeder NewSeeder(string seeds)
    {
        var importer = new CatalogImporter(_connections, _catalog, new SearchRepository(_connections),
            new CatalogCache(_catalog, new EligibilityEngine(), Options.Create(new CatalogOptions())));
        return new Seeder(importer, Options.Create(new SeedOptions { Directory = seeds }), NullLogger<Seeder>.Instance);
    }

    private async Task<long> Count(string table)
    {
        await using var db = await _connections.OpenAsync();
        return await db.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public void Both_migration_folders_hold_the_same_numbers_and_names()
    {
        // One schema, two dialects: a migration added to one folder only would leave the other database behind.
        var sqlite = MigrationRunner.Discover(DbProvider.Sqlite).Select(m => (m.Number, m.Name)).ToList();
        var postgres = MigrationRunner.Discover(DbProvider.PostgreSql).Select(m => (m.Number, m.Name)).ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
        Assert.Equal(sqlite.OrderBy(m => m.Number), sqlite);
    }

    [Fact]
    public async Task Migrations_create_the_database_file_and_run_once()
    {
        var runner = new MigrationRunner(_connections, NullLogger<MigrationRunner>.Instance);
        var first = await runner.ApplyAsync();
        Assert.Equal(MigrationRunner.Discover(TestDatabase.Provider).Select(m => m.Number), first);
        Assert.Empty(await runner.ApplyAsync());
        await using var db = await _connections.OpenAsync();
        if (!TestDatabase.IsPostgres)
        {
            Assert.True(File.Exists(Path.Combine(_dir, "sub", "pm.db")));
            Assert.Equal("wal", await db.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        }
        Assert.Equal(first.Count, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Seeding_twice_changes_nothing()
    {
        await new MigrationRunner(_connections, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await NewSeeder(Repo.Seeds).SeedAsync();
        var counts = new[] { "plans", "plan_clauses", "measures", "measure_versions", "notices", "notice_measures", "search_index" };
        var before = new List<long>();
        foreach (var t in counts) before.Add(await Count(t));
        await using (var db = await _connections.OpenAsync())
        {
            Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measures WHERE current_version <> 1 OR status <> 'published'"));
        }

        await NewSeeder(Repo.Seeds).SeedAsync();
        var after = new List<long>();
        foreach (var t in counts) after.Add(await Count(t));
        Assert.Equal(before, after);
        Assert.Equal(9, before[0]);
        Assert.InRange(before[2], 44, 74); // 40–70 from the five plans, one per notice document
    }

    [Fact]
    public async Task A_changed_seed_measure_gets_a_new_version_and_keeps_the_old()
    {
        await new MigrationRunner(_connections, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await NewSeeder(Repo.Seeds).SeedAsync();

        var copy = Path.Combine(_dir, "seeds");
        CopyDirectory(Repo.Seeds, copy);
        var file = Directory.GetFiles(Path.Combine(copy, "measures"), "*.json").Order().First();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        var measure = json["measures"]!.AsArray()[0]!;
        var id = (string)measure["id"]!;
        measure["summary"] = "修改后的摘要";
        File.WriteAllText(file, json.ToJsonString());

        await NewSeeder(copy).SeedAsync();
        var current = await _catalog.GetMeasureAsync(id);
        Assert.Equal(2, current!.Version);
        Assert.Equal("修改后的摘要", current.Summary);
        Assert.NotEqual("修改后的摘要", (await _catalog.GetMeasureAsync(id, 1))!.Summary);
    }

    [Fact]
    public async Task A_restart_does_not_undo_what_an_administrator_did_to_a_seeded_measure()
    {
        await new MigrationRunner(_connections, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        await NewSeeder(Repo.Seeds).SeedAsync();
        var seeds = Seeder.Read(Repo.Seeds);
        var edited = seeds.Measures[0].Measure;
        var retired = seeds.Measures[1].Measure;
        await using (var db = await _connections.OpenAsync())
        await using (var tx = await db.BeginTransactionAsync())
        {
            await _catalog.UpsertMeasureAsync(db, tx, edited with { Summary = "管理员修改的摘要" }, "000", "admin@example.org", publish: true);
            await _catalog.SetStatusAsync(db, tx, retired.Id, MeasureStatus.Retired);
            await tx.CommitAsync();
        }

        await NewSeeder(Repo.Seeds).SeedAsync();

        Assert.Equal("管理员修改的摘要", (await _catalog.GetMeasureAsync(edited.Id))!.Summary);
        Assert.Equal("retired", (await _catalog.GetMeasureAsync(retired.Id))!.Status);
    }

    [Fact]
    public async Task An_invalid_seed_file_stops_the_start_naming_the_file_and_path()
    {
        await new MigrationRunner(_connections, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        var copy = Path.Combine(_dir, "bad-seeds");
        CopyDirectory(Repo.Seeds, copy);
        var file = Directory.GetFiles(Path.Combine(copy, "measures"), "*.json").Order().First();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        json["measures"]!.AsArray()[0]!["kind"] = "gift";
        File.WriteAllText(file, json.ToJsonString());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewSeeder(copy).SeedAsync());
        Assert.Contains($"{Path.GetFileName(file)}: $.measures[0].kind", error.Message);
        Assert.Equal(0, await Count("measures"));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(f, f.Replace(from, to));
    }

    public void Dispose()
    {
        _database.Dispose();
        TempDirectory.Delete(_dir);
    }
}
