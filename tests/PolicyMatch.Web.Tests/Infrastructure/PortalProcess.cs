using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>
/// The portal as a separate OS process (dotnet PolicyMatch.Web.dll from the web project's own build
/// output), on loopback, with the settings given as environment variables — what a deployment runs.
/// Used where in-process hosting cannot show the point: a kill (SIGKILL) and several nodes.
/// </summary>
public sealed class PortalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PortalProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last part of what the process printed, for a failure message.</summary>
    public string Log(int last = 4000)
    {
        lock (_log)
        {
            var text = _log.ToString();
            return text[Math.Max(0, text.Length - last)..];
        }
    }

    /// <summary>Starts the portal with these settings on a free loopback port.</summary>
    public static PortalProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var web = WebBinaries();
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(web, "PolicyMatch.Web.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Seeds__Directory"] = Repo.Seeds;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__PolicyMatch"] = "Information";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var portal = new PortalProcess(Process.Start(info)!, port);
        portal._process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        portal._process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        portal._process.BeginOutputReadLine();
        portal._process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>Waits until the portal answers its home page (migrations and seeding done).</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            timeout,
            _ => $"the portal on {Url} did not answer within {timeout.TotalSeconds:0} s (exited: {HasExited}):\n{Log()}",
            giveUp: () => HasExited);
    }

    /// <summary>SIGKILL to the whole process tree: no graceful stop, no finally blocks.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The web project's own build output (same configuration as these tests).</summary>
    private static string WebBinaries()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;          // …/bin/{Debug|Release}/net10.0
        var dir = Path.Combine(Repo.Root, "src", "PolicyMatch.Web", "bin", configuration, testBin.Name);
        Assert.True(File.Exists(Path.Combine(dir, "PolicyMatch.Web.dll")), $"build the web project first: {dir}");
        return dir;
    }
}
