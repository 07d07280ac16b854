using System.Globalization;
using System.Text;

namespace NpsGrpc.Bench.Report;

/// <summary>A small Markdown writer: headings, paragraphs and tables, numbers formatted invariantly.</summary>
internal sealed class Markdown
{
    private readonly StringBuilder _text = new();

    public void Heading(int level, string title) => _text.Append('#', level).Append(' ').AppendLine(title).AppendLine();

    public void Paragraph(string text) => _text.AppendLine(text).AppendLine();

    public void Bullets(IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            _text.Append("- ").AppendLine(item);
        }

        _text.AppendLine();
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        _text.Append('|').AppendJoin('|', headers.Select(_ => "---")).AppendLine("|");
        foreach (var row in rows)
        {
            _text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        _text.AppendLine();
    }

    public void Raw(string text) => _text.AppendLine(text).AppendLine();

    public override string ToString() => _text.ToString();

    /// <summary>A count with thousands separators: 1,234,567.</summary>
    public static string Count(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Milliseconds with three significant figures.</summary>
    public static string Ms(double value) => !double.IsFinite(value) ? "n/a"
        : value >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture)
        : value >= 10 ? value.ToString("F1", CultureInfo.InvariantCulture)
        : value >= 1 ? value.ToString("F2", CultureInfo.InvariantCulture)
        : value.ToString("F3", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => !double.IsFinite(value) ? "n/a"
        : value >= 10 ? value.ToString("F0", CultureInfo.InvariantCulture) + "x"
        : value.ToString("F2", CultureInfo.InvariantCulture) + "x";

    public static string Seconds(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
