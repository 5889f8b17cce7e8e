// How fast the kitchen is: seconds from the kitchen being told to the item being ready, on average and at the
// 90th percentile, by zone (printer) and by product, each average against the previous period.
import { BarChart } from "../../reports/components/bar-chart";
import { DataTable } from "../../../shared/data-table";
import { useKitchen, type PrepLine } from "../api/analytics-api";
import { formatCount, formatSeconds } from "../lib/format";
import { previousRange, type Range } from "../lib/period";
import { ChangeBadge } from "./change-badge";
import { Loaded, Section } from "./section";

const keyOf = (line: PrepLine) => String(line.key ?? "none");

function PrepTable({
  lines,
  before,
  compared,
  name,
  testId,
}: {
  lines: PrepLine[];
  before: Map<string, PrepLine>;
  compared: boolean;
  name: string;
  testId: string;
}) {
  return (
    <DataTable
      testId={testId}
      className="report-table"
      columns={[
        name,
        { label: "Items", num: true },
        { label: "Average", num: true },
        { label: "90th percentile", num: true },
        { label: "vs previous", num: true },
      ]}
    >
      {lines.map((line) => {
        const prior = before.get(keyOf(line));
        return (
          <tr key={keyOf(line)}>
            <th scope="row">{line.name}</th>
            <td className="num">{formatCount(line.items)}</td>
            <td className="num">{formatSeconds(line.average_seconds)}</td>
            <td className="num">{formatSeconds(line.p90_seconds)}</td>
            <td className="num">
              {!compared ? (
                <span className="muted">…</span>
              ) : prior ? (
                <ChangeBadge value={line.average_seconds} previous={prior.average_seconds} better="down" />
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

export function KitchenPage({ range }: { range: Range }) {
  const kitchen = useKitchen(range);
  const previous = useKitchen(previousRange(range));
  const zonesBefore = new Map((previous.data?.by_zone ?? []).map((line) => [keyOf(line), line]));
  const productsBefore = new Map((previous.data?.by_product ?? []).map((line) => [keyOf(line), line]));
  return (
    <div className="page">
      <Section title="Kitchen prep times" csv="kitchen" range={range} testId="analytics-kitchen">
        <Loaded query={kitchen} what="kitchen prep times">
          {(data) =>
            data.by_zone.length === 0 ? (
              <p className="muted">No item was made ready in this period.</p>
            ) : (
              <>
                <BarChart
                  title="Average prep time by zone"
                  data={data.by_zone.map((line) => {
                    const prior = zonesBefore.get(keyOf(line));
                    return {
                      key: keyOf(line),
                      label: line.name,
                      value: Math.round(line.average_seconds),
                      previous: prior ? Math.round(prior.average_seconds) : undefined,
                    };
                  })}
                  categoryLabel="Zone"
                  valueLabel="Average seconds"
                  formatValue={formatSeconds}
                  orientation="horizontal"
                  width={1200}
                />
                <h3 className="analytics-subhead">By zone</h3>
                <PrepTable
                  lines={data.by_zone}
                  before={zonesBefore}
                  compared={previous.isSuccess}
                  name="Zone"
                  testId="kitchen-zones"
                />
                <h3 className="analytics-subhead">By product</h3>
                <PrepTable
                  lines={data.by_product}
                  before={productsBefore}
                  compared={previous.isSuccess}
                  name="Product"
                  testId="kitchen-products"
                />
              </>
            )
          }
        </Loaded>
      </Section>
    </div>
  );
}
