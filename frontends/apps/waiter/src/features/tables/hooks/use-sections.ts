import type { Table, TableGroup } from "@tavolo/api";
import { useMemo } from "react";

export interface Section {
  key: string;
  title: string;
  tables: Table[];
}

const byNumber = (a: Table, b: Table) => a.number - b.number || a.label.localeCompare(b.label);

/**
 * The floor as the waiter reads it: their own tables first (taken out of their sections, so each table appears
 * once), then the sections in the manager's order, then tables in no section.
 */
export function groupTables(
  tables: readonly Table[],
  groups: readonly TableGroup[],
  isMine: (table: Table) => boolean,
): Section[] {
  const mine: Table[] = [];
  const bySection = new Map<number | null, Table[]>();
  for (const table of tables) {
    if (!table.is_active) continue;
    if (isMine(table)) {
      mine.push(table);
      continue;
    }
    const list = bySection.get(table.group_id) ?? [];
    list.push(table);
    bySection.set(table.group_id, list);
  }
  const sections: Section[] = [];
  if (mine.length > 0) sections.push({ key: "mine", title: "My tables", tables: mine.sort(byNumber) });
  const ordered = [...groups].sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));
  for (const group of ordered) {
    const list = bySection.get(group.id);
    bySection.delete(group.id);
    if (list?.length) sections.push({ key: `group-${group.id}`, title: group.name, tables: list.sort(byNumber) });
  }
  // Tables in no section, or in one the groups list does not know yet (it is refreshed less often).
  const rest = [...bySection.values()].flat().sort(byNumber);
  if (rest.length > 0) {
    const title = sections.length === 0 ? "Tables" : "Other tables";
    sections.push({ key: "other", title, tables: rest });
  }
  return sections;
}

export function useSections(
  tables: readonly Table[] | undefined,
  groups: readonly TableGroup[] | undefined,
  isMine: (table: Table) => boolean,
): Section[] {
  return useMemo(() => groupTables(tables ?? [], groups ?? [], isMine), [tables, groups, isMine]);
}
