using System.Globalization;
using ScottPlot;

namespace NpsGrpc.Bench.Report;

/// <summary>The growth scenario as a log-log chart: read latency against responses stored, ours and SQL.</summary>
internal static class GrowthChart
{
    public static void Save(string path, IReadOnlyList<(long Stored, double OursMs, double SqlMs)> points)
    {
        var plot = new Plot();
        AddSeries(plot, points.Select(p => (p.Stored, p.OursMs)), "NpsGrpc GetScore (p50)", Colors.Blue);
        AddSeries(plot, points.Select(p => (p.Stored, p.SqlMs)), "PostgreSQL aggregate query (p50)", Colors.OrangeRed);

        // Log-log: the data are plotted as log10, and the axes label them back as powers of ten.
        plot.Axes.Bottom.TickGenerator = LogTicks(value => Math.Pow(10, value).ToString("N0", CultureInfo.InvariantCulture));
        plot.Axes.Left.TickGenerator = LogTicks(value => Math.Pow(10, value).ToString("G3", CultureInfo.InvariantCulture));
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(.05);
        plot.Grid.MinorLineWidth = 1;
        plot.Title("Score read latency against responses stored (log-log)");
        plot.XLabel("responses stored for the product");
        plot.YLabel("latency, ms (p50, concurrency 1)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(Func<double, string> label) => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = label,
    };

    private static void AddSeries(Plot plot, IEnumerable<(long Stored, double Ms)> series, string label, Color color)
    {
        var valid = series.Where(p => double.IsFinite(p.Ms) && p.Ms > 0).ToArray();
        if (valid.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(valid.Select(p => Math.Log10(p.Stored)).ToArray(), valid.Select(p => Math.Log10(p.Ms)).ToArray());
        scatter.LegendText = label;
        scatter.Color = color;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 8;
    }
}
