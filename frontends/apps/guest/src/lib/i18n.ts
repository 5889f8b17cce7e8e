// The guest app's two languages. Every string of the UI lives in this typed dictionary (Greek must have every key
// English has: the compiler says so); menu names come from the server in both languages and pick() chooses.
import { createStore, useStore } from "@tavolo/ui";

export type Lang = "en" | "el";

const EN = {
  table: (label: string) => (/^\d+$/.test(label.trim()) ? `Table ${label.trim()}` : label),
  languageSwitch: "Ελληνικά",
  languageSwitchLabel: "Αλλαγή γλώσσας σε ελληνικά",
  welcomeTitle: "Welcome!",
  nicknamePrompt: "What should your table call you?",
  nicknameHint: "Your table sees it next to what you add. No sign-up, nothing else is stored.",
  nicknameLabel: "Your nickname",
  nicknameStart: "Show me the menu",
  nicknameSave: "Save",
  nicknameEdit: (name: string) => `You are “${name}” · change`,
  tabMenu: "Menu",
  tabOrder: "Your order",
  search: "Search the menu",
  allCategories: "All",
  noResults: "Nothing on the menu matches that.",
  menuEmpty: "There is nothing to order right now.",
  contains: "Contains:",
  extras: "Extras",
  leaveOut: "Leave out",
  without: (name: string) => `no ${name}`,
  required: "required",
  optional: "optional",
  none: "None",
  choose: (names: string) => `Please choose: ${names}`,
  quantity: "Quantity",
  oneLess: "One less",
  oneMore: "One more",
  note: "A note for the kitchen (optional)",
  addToCart: "Add to cart",
  added: "Added to your table's cart",
  productGone: "Sorry, this has just run out. The menu has been updated.",
  productChanged: "This dish changed a moment ago. Please check your choices and try again.",
  cartOpen: "View cart",
  items: (n: number) => (n === 1 ? "1 item" : `${n} items`),
  cartTitle: "Your table's cart",
  cartEmpty: "The cart is empty. Add something from the menu.",
  cartShared: "Everyone at the table shares this cart.",
  addedBy: (name: string) => `added by ${name}`,
  you: "you",
  remove: "Remove",
  total: "Total",
  sendKitchen: "Send to the kitchen",
  sendWaiter: "Send to your waiter",
  sent: "Sent!",
  submissionPending: "Waiting for your waiter to confirm",
  submissionAccepted: "Your order is in. The kitchen has it.",
  submissionRejected: "Your waiter could not take this order.",
  submissionReason: (reason: string) => `Reason: ${reason}`,
  notAccepting:
    "Ordering from your phone is not available right now. You can still look at the menu; please ask your waiter.",
  cartChanged: "Someone at your table just changed the cart. Please check it and send again.",
  cartEmptyError: "The cart is empty.",
  cartFull: "The cart is full. Send what is in it first.",
  rateLimited: "That is a lot of requests in a short time. Please wait a minute and try again.",
  tooManyItems: "That is a lot for one order. Please send fewer items at once, or ask your waiter.",
  orderingOff: "Ordering from your phone is switched off. Please ask your waiter.",
  licenseRefused: "The restaurant cannot take orders from phones right now. Please ask your waiter.",
  lineGone: "That line was already removed by someone else.",
  genericError: "Something went wrong. Please try again.",
  networkError: "Cannot reach the restaurant's system. Check the Wi-Fi and try again.",
  tokenInvalid: "This QR code is no longer valid — ask your waiter",
  tableInactive: "This table is not taking orders at the moment — ask your waiter",
  unreachable: "Cannot reach the restaurant's system. Check that you are on the restaurant's Wi-Fi.",
  live: "Live",
  reconnecting: "Reconnecting…",
  loading: "Loading…",
  orderEmpty: "Nothing has been ordered at this table yet.",
  state: {
    received: "Received",
    preparing: "Preparing",
    ready: "Ready",
    served: "Served",
    cancelled: "Cancelled",
  } as Record<"received" | "preparing" | "ready" | "served" | "cancelled", string>,
  paid: "Paid",
  due: "Left to pay",
  callWaiter: "Call the waiter",
  askBill: "Ask for the bill",
  calledWaiter: "Your waiter has been called.",
  askedBill: "Your waiter is bringing the bill.",
  callWait: "You can call again in a minute.",
  close: "Close",
};

export type Strings = typeof EN;

const EL: Strings = {
  table: (label: string) => (/^\d+$/.test(label.trim()) ? `Τραπέζι ${label.trim()}` : label),
  languageSwitch: "English",
  languageSwitchLabel: "Switch the language to English",
  welcomeTitle: "Καλώς ήρθατε!",
  nicknamePrompt: "Πώς να σας λέει η παρέα σας;",
  nicknameHint: "Η παρέα σας το βλέπει δίπλα σε ό,τι προσθέτετε. Χωρίς εγγραφή, τίποτε άλλο δεν αποθηκεύεται.",
  nicknameLabel: "Το ψευδώνυμό σας",
  nicknameStart: "Δείτε το μενού",
  nicknameSave: "Αποθήκευση",
  nicknameEdit: (name: string) => `Είστε «${name}» · αλλαγή`,
  tabMenu: "Μενού",
  tabOrder: "Η παραγγελία σας",
  search: "Αναζήτηση στο μενού",
  allCategories: "Όλα",
  noResults: "Τίποτα στο μενού δεν ταιριάζει.",
  menuEmpty: "Δεν υπάρχει κάτι για παραγγελία αυτή τη στιγμή.",
  contains: "Περιέχει:",
  extras: "Επιπλέον",
  leaveOut: "Χωρίς",
  without: (name: string) => `χωρίς ${name}`,
  required: "υποχρεωτικό",
  optional: "προαιρετικό",
  none: "Τίποτα",
  choose: (names: string) => `Παρακαλώ επιλέξτε: ${names}`,
  quantity: "Ποσότητα",
  oneLess: "Ένα λιγότερο",
  oneMore: "Ένα περισσότερο",
  note: "Σημείωση για την κουζίνα (προαιρετικά)",
  addToCart: "Στο καλάθι",
  added: "Προστέθηκε στο καλάθι του τραπεζιού",
  productGone: "Λυπούμαστε, μόλις τελείωσε. Το μενού ενημερώθηκε.",
  productChanged: "Το πιάτο μόλις άλλαξε. Ελέγξτε τις επιλογές σας και δοκιμάστε ξανά.",
  cartOpen: "Το καλάθι",
  items: (n: number) => (n === 1 ? "1 προϊόν" : `${n} προϊόντα`),
  cartTitle: "Το καλάθι του τραπεζιού",
  cartEmpty: "Το καλάθι είναι άδειο. Προσθέστε κάτι από το μενού.",
  cartShared: "Όλη η παρέα μοιράζεται αυτό το καλάθι.",
  addedBy: (name: string) => `από ${name}`,
  you: "εσάς",
  remove: "Αφαίρεση",
  total: "Σύνολο",
  sendKitchen: "Αποστολή στην κουζίνα",
  sendWaiter: "Αποστολή στον σερβιτόρο",
  sent: "Στάλθηκε!",
  submissionPending: "Περιμένουμε τον σερβιτόρο σας να επιβεβαιώσει",
  submissionAccepted: "Η παραγγελία σας στάλθηκε στην κουζίνα.",
  submissionRejected: "Ο σερβιτόρος σας δεν μπόρεσε να δεχτεί αυτή την παραγγελία.",
  submissionReason: (reason: string) => `Αιτία: ${reason}`,
  notAccepting:
    "Η παραγγελία από το κινητό δεν είναι διαθέσιμη αυτή τη στιγμή. Μπορείτε να δείτε το μενού· ρωτήστε τον σερβιτόρο σας.",
  cartChanged: "Κάποιος από την παρέα μόλις άλλαξε το καλάθι. Ελέγξτε το και στείλτε ξανά.",
  cartEmptyError: "Το καλάθι είναι άδειο.",
  cartFull: "Το καλάθι γέμισε. Στείλτε πρώτα όσα έχει.",
  rateLimited: "Πολλά αιτήματα σε λίγο χρόνο. Περιμένετε ένα λεπτό και δοκιμάστε ξανά.",
  tooManyItems: "Πολλά για μία παραγγελία. Στείλτε λιγότερα τη φορά ή ρωτήστε τον σερβιτόρο σας.",
  orderingOff: "Η παραγγελία από το κινητό είναι απενεργοποιημένη. Ρωτήστε τον σερβιτόρο σας.",
  licenseRefused: "Το κατάστημα δεν μπορεί να δεχτεί παραγγελίες από κινητά αυτή τη στιγμή. Ρωτήστε τον σερβιτόρο σας.",
  lineGone: "Αυτό το προϊόν το αφαίρεσε ήδη κάποιος άλλος.",
  genericError: "Κάτι πήγε στραβά. Δοκιμάστε ξανά.",
  networkError: "Δεν υπάρχει σύνδεση με το σύστημα του καταστήματος. Ελέγξτε το Wi-Fi και δοκιμάστε ξανά.",
  tokenInvalid: "Αυτός ο κωδικός QR δεν ισχύει πια — ρωτήστε τον σερβιτόρο σας",
  tableInactive: "Αυτό το τραπέζι δεν δέχεται παραγγελίες αυτή τη στιγμή — ρωτήστε τον σερβιτόρο σας",
  unreachable: "Δεν υπάρχει σύνδεση με το σύστημα του καταστήματος. Ελέγξτε ότι είστε στο Wi-Fi του καταστήματος.",
  live: "Ζωντανά",
  reconnecting: "Επανασύνδεση…",
  loading: "Φόρτωση…",
  orderEmpty: "Δεν έχει παραγγελθεί τίποτα ακόμη σε αυτό το τραπέζι.",
  state: {
    received: "Ελήφθη",
    preparing: "Ετοιμάζεται",
    ready: "Έτοιμο",
    served: "Σερβιρίστηκε",
    cancelled: "Ακυρώθηκε",
  },
  paid: "Πληρώθηκαν",
  due: "Υπόλοιπο",
  callWaiter: "Καλέστε τον σερβιτόρο",
  askBill: "Ζητήστε τον λογαριασμό",
  calledWaiter: "Ειδοποιήσαμε τον σερβιτόρο σας.",
  askedBill: "Ο σερβιτόρος σας φέρνει τον λογαριασμό.",
  callWait: "Μπορείτε να καλέσετε ξανά σε ένα λεπτό.",
  close: "Κλείσιμο",
};

export const STRINGS: Record<Lang, Strings> = { en: EN, el: EL };

/** Greek for a phone set to Greek (el, el-GR, el-CY), English for everyone else. */
export function detectLang(language: string | undefined): Lang {
  return language?.toLowerCase().startsWith("el") ? "el" : "en";
}

/** A menu name in the guest's language: the Greek `name` is the original, `name_en` may be missing. */
export function pick(lang: Lang, named: { name: string; name_en?: string | null }): string {
  return lang === "el" ? named.name : named.name_en || named.name;
}

const LANG_KEY = "tavolo.guest.lang";

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "en" || saved === "el") return saved;
  } catch {
    // private mode: follow the phone
  }
  return detectLang(typeof navigator === "undefined" ? undefined : navigator.language);
}

export const langStore = createStore<Lang>(initialLang());

export function setLang(lang: Lang): void {
  langStore.set(lang);
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not kept: the toggle still works for this visit
  }
  document.documentElement.lang = lang;
}

export function useLang(): Lang {
  return useStore(langStore);
}

export function useStrings(): Strings {
  return STRINGS[useLang()];
}
