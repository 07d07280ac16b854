namespace NpsGrpc.Server.Dashboard;

/// <summary>Bound from the <c>Dashboard</c> section.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Serve the dashboard's static files at <c>/</c> (the page itself; its calls need the API key's scopes).</summary>
    public bool Enabled { get; set; } = true;
}
