// What was given away or taken back: discounts, comps, voids and refunds by kind (against the previous period),
// by reason, and by the person who asked for them.
import { formatMoney } from "@tavolo/ui";
import { BarChart } from "../../reports/components/bar-chart";
import { DataTable } from "../../../shared/data-table";
import { useExceptions, type Exceptions } from "../api/analytics-api";
import { formatCount, moneyFormats } from "../lib/format";
import { previousRange, type Range } from "../lib/period";
import { ChangeBadge } from "./change-badge";
import { Loaded, Section } from "./section";

type Kind = Exceptions["by_kind"][number]["kind"];

const KINDS: { kind: Kind; label: string }[] = [
  { kind: "discount", label: "Discounts" },
  { kind: "comp", label: "Comps" },
  { kind: "void", label: "Voids" },
  { kind: "refund", label: "Refunds" },
];

const KIND_NAME: Record<Kind, string> = { discount: "Discount", comp: "Comp", void: "Void", refund: "Refund" };

export function ExceptionsPage({ range }: { range: Range }) {
  const exceptions = useExceptions(range);
  const previous = useExceptions(previousRange(range));
  return (
    <div className="page">
      <Section title="Exceptions" csv="exceptions" range={range} testId="analytics-exceptions">
        <Loaded query={exceptions} what="exceptions">
          {(data) => {
            const money = (amount: number) => formatMoney(amount, data.currency);
            const total = (report: Exceptions | undefined, kind: Kind) =>
              report?.by_kind.find((line) => line.kind === kind) ?? { kind, count: 0, amount: 0 };
            const given = KINDS.some(
              ({ kind }) => total(data, kind).amount > 0 || (previous.data && total(previous.data, kind).amount > 0),
            );
            return (
              <>
                {given && (
                  <BarChart
                    title="Amount by kind"
                    data={KINDS.map(({ kind, label }) => ({
                      key: kind,
                      label,
                      value: total(data, kind).amount,
                      previous: previous.data ? total(previous.data, kind).amount : undefined,
                    }))}
                    categoryLabel="Kind"
                    valueLabel={`Amount (${data.currency})`}
                    orientation="horizontal"
                    width={1200}
                    {...moneyFormats(data.currency)}
                  />
                )}
                <h3 className="analytics-subhead">By kind</h3>
                <DataTable
                  testId="exceptions-kinds"
                  className="report-table"
                  columns={[
                    "Kind",
                    { label: "Count", num: true },
                    { label: "Amount", num: true },
                    { label: "vs previous", num: true },
                  ]}
                >
                  {KINDS.map(({ kind, label }) => {
                    const line = total(data, kind);
                    return (
                      <tr key={kind}>
                        <th scope="row">{label}</th>
                        <td className="num">{formatCount(line.count)}</td>
                        <td className="num">{money(line.amount)}</td>
                        <td className="num">
                          {previous.data ? (
                            <ChangeBadge
                              value={line.amount}
                              previous={total(previous.data, kind).amount}
                              better="down"
                            />
                          ) : (
                            <span className="muted">…</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </DataTable>
                <h3 className="analytics-subhead">By reason</h3>
                {data.by_reason.length === 0 ? (
                  <p className="muted">None in this period.</p>
                ) : (
                  <DataTable
                    testId="exceptions-reasons"
                    className="report-table"
                    columns={["Kind", "Reason", { label: "Count", num: true }, { label: "Amount", num: true }]}
                  >
                    {data.by_reason.map((line) => (
                      <tr key={`${line.kind}|${line.reason}`}>
                        <td>{KIND_NAME[line.kind]}</td>
                        <th scope="row">{line.reason || <span className="muted">No reason given</span>}</th>
                        <td className="num">{formatCount(line.count)}</td>
                        <td className="num">{money(line.amount)}</td>
                      </tr>
                    ))}
                  </DataTable>
                )}
                <h3 className="analytics-subhead">By person</h3>
                {data.by_waiter.length === 0 ? (
                  <p className="muted">None in this period.</p>
                ) : (
                  <DataTable
                    testId="exceptions-people"
                    className="report-table"
                    columns={[
                      "Asked by",
                      ...KINDS.map(({ label }) => ({ label, num: true })),
                      { label: "Total", num: true },
                    ]}
                  >
                    {data.by_waiter.map((person) => (
                      <tr key={person.user_id ?? "none"}>
                        <th scope="row">{person.user_name ?? <span className="muted">Unknown</span>}</th>
                        {KINDS.map(({ kind }) => {
                          const line = person.by_kind.find((k) => k.kind === kind);
                          return (
                            <td key={kind} className="num">
                              {line ? `${money(line.amount)} (${formatCount(line.count)})` : "—"}
                            </td>
                          );
                        })}
                        <td className="num">
                          {money(person.amount)} ({formatCount(person.count)})
                        </td>
                      </tr>
                    ))}
                  </DataTable>
                )}
              </>
            );
          }}
        </Loaded>
      </Section>
    </div>
  );
}
