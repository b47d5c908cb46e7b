using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PolicyMatch.Benchmarks;

// dotnet run -c Release --project tests/PolicyMatch.Benchmarks -- [BenchmarkDotNet args]
//   sidebyside <workload.json>   the C# half of sidebyside/run.sh (prints JSON)
//   generate <workload.json>     writes the side-by-side workload (1,000 rules, 2,000 profiles)
//   throughput [profiles] [rules] 100,000 × 1,000 on all cores, quick wall-clock figures
switch (args.FirstOrDefault())
{
    case "sidebyside" when args.Length >= 2:
        return SideBySide.Run(args[1]);
    case "generate" when args.Length >= 2:
        return SideBySide.Generate(args[1]);
    case "throughput":
        return Throughput.Run(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
    default:
        // In-process ShortRun: BenchmarkDotNet 0.14 predates net10.0 and cannot generate an out-of-process
        // project for it; in-process also keeps the whole run to a few minutes.
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(Path.Combine(Catalog.ProjectDirectory(), "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(Workload).Assembly)
            .Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return 0;
}
