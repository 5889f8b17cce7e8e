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
  contains: "Ingredients:",
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
  soldOutLine: "Sold out — remove it to send",
  soldOutBlocks: "Something in the cart has sold out. Remove it to send the rest.",
  soldOutRefused: "Something in the cart has just sold out. Remove it and send again.",
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
  // Paying by UPI from the table.
  payTitle: "Pay by UPI",
  payChoose: "How much would you like to pay?",
  shareMine: "My items",
  shareEven: "Split evenly",
  shareEach: (amount: string) => `about ${amount} each`,
  splitBetween: "Split between",
  people: (n: number) => `${n} people`,
  fewerPeople: "One person fewer",
  morePeople: "One person more",
  shareRest: "The rest",
  shareAmount: "Another amount",
  amountLabel: "Amount to pay",
  amountInvalid: "Please enter an amount, like 250 or 250.50.",
  amountTooMuch: (left: string) => `That is more than is left to pay (${left}).`,
  payButton: (amount: string) => `Pay ${amount} by UPI`,
  payChooseFirst: "Choose what to pay",
  payUnavailable: "Paying from your phone is not available right now; please ask the staff.",
  payAllAsked: "Everything left to pay is already being paid by someone at the table.",
  payYours: "Your payment",
  openUpiApp: "Open UPI app",
  payScanHint: "Paying from another phone? Scan this code with its UPI app.",
  payQrAlt: "UPI QR code for this payment",
  payQrFailed: "The QR code could not be drawn; use the button above.",
  payWaiting: "Waiting for your payment…",
  payClosesIn: (time: string) => `Closes in ${time}`,
  payClosing: "Closing…",
  payPaid: (amount: string) => `Paid ${amount} — thank you`,
  payOverpaid:
    "Your payment arrived, but the bill had already been paid. The staff have been told and will sort it out with you.",
  payExpired: "This payment request expired before it was paid.",
  payCancelled: "This payment request was cancelled.",
  payFailed: "This payment could not be confirmed. If money left your account, please show this screen to the staff.",
  payLoading: "Loading your payment…",
  payCancel: "Cancel payment",
  payAgain: "Try again",
  payDone: "Done",
  payAtTable: "Payments at this table",
  reqPaying: (who: string, amount: string, share: string | null) =>
    share ? `${who} is paying ${amount} (${share})` : `${who} is paying ${amount}`,
  reqYouPaying: (amount: string, share: string | null) =>
    share ? `You are paying ${amount} (${share})` : `You are paying ${amount}`,
  reqPaid: (who: string, amount: string) => `${who} paid ${amount}`,
  reqYouPaid: (amount: string) => `You paid ${amount}`,
  reqWaiterPending: (amount: string) => `UPI QR shown by the waiter · ${amount}`,
  reqWaiterPaid: (amount: string) => `Paid by UPI at the table · ${amount}`,
  aGuest: "A guest",
  theirItems: "their items",
  theRest: "the rest",
  anAmount: "an amount",
  partOfBill: (part: string) => `${part} of the bill`,
  itemPaid: "Paid",
  payOff: "Paying from your phone is not offered here. Please ask the staff.",
  noBill: "There is no bill at this table yet.",
  nothingOfYours: "Nothing unpaid was ordered under your name. Please choose another way to pay.",
  nothingDue: "Everything on this bill is already paid or being paid.",
  exceedsBalance: "That is more than is left to pay: someone just paid. Please choose again.",
  upiUnavailable: "Paying by UPI is not possible right now. Please try again in a moment, or ask the staff.",
  notPending: "This payment request is no longer open.",
  paymentGone: "This payment can no longer be found.",
  billClosed: "This bill has just been closed.",
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
  contains: "Συστατικά:",
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
  soldOutLine: "Εξαντλήθηκε — αφαιρέστε το για αποστολή",
  soldOutBlocks: "Κάτι στο καλάθι εξαντλήθηκε. Αφαιρέστε το για να στείλετε τα υπόλοιπα.",
  soldOutRefused: "Κάτι στο καλάθι μόλις εξαντλήθηκε. Αφαιρέστε το και στείλτε ξανά.",
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
  payTitle: "Πληρωμή με UPI",
  payChoose: "Πόσα θέλετε να πληρώσετε;",
  shareMine: "Όσα παρήγγειλα",
  shareEven: "Μοιρασιά σε ίσα μέρη",
  shareEach: (amount: string) => `περίπου ${amount} ο καθένας`,
  splitBetween: "Μοιρασιά σε",
  people: (n: number) => `${n} άτομα`,
  fewerPeople: "Ένα άτομο λιγότερο",
  morePeople: "Ένα άτομο περισσότερο",
  shareRest: "Το υπόλοιπο",
  shareAmount: "Άλλο ποσό",
  amountLabel: "Ποσό πληρωμής",
  amountInvalid: "Γράψτε ένα ποσό, π.χ. 250 ή 250,50.",
  amountTooMuch: (left: string) => `Είναι περισσότερα από όσα μένουν να πληρωθούν (${left}).`,
  payButton: (amount: string) => `Πληρωμή ${amount} με UPI`,
  payChooseFirst: "Επιλέξτε τι θα πληρώσετε",
  payUnavailable: "Η πληρωμή από το κινητό δεν είναι διαθέσιμη αυτή τη στιγμή· ρωτήστε το προσωπικό.",
  payAllAsked: "Όλο το υπόλοιπο το πληρώνει ήδη κάποιος από την παρέα.",
  payYours: "Η πληρωμή σας",
  openUpiApp: "Άνοιγμα εφαρμογής UPI",
  payScanHint: "Πληρώνετε από άλλο κινητό; Σαρώστε αυτόν τον κωδικό με την εφαρμογή UPI του.",
  payQrAlt: "Κωδικός QR UPI για αυτή την πληρωμή",
  payQrFailed: "Ο κωδικός QR δεν μπόρεσε να σχεδιαστεί· χρησιμοποιήστε το κουμπί παραπάνω.",
  payWaiting: "Περιμένουμε την πληρωμή σας…",
  payClosesIn: (time: string) => `Λήγει σε ${time}`,
  payClosing: "Κλείνει…",
  payPaid: (amount: string) => `Πληρώθηκαν ${amount} — ευχαριστούμε`,
  payOverpaid:
    "Η πληρωμή σας έφτασε, αλλά ο λογαριασμός είχε ήδη εξοφληθεί. Το προσωπικό ενημερώθηκε και θα το τακτοποιήσει μαζί σας.",
  payExpired: "Το αίτημα πληρωμής έληξε πριν πληρωθεί.",
  payCancelled: "Το αίτημα πληρωμής ακυρώθηκε.",
  payFailed:
    "Η πληρωμή δεν μπόρεσε να επιβεβαιωθεί. Αν χρεώθηκε ο λογαριασμός σας, δείξτε αυτή την οθόνη στο προσωπικό.",
  payLoading: "Φόρτωση της πληρωμής σας…",
  payCancel: "Ακύρωση πληρωμής",
  payAgain: "Δοκιμάστε ξανά",
  payDone: "Εντάξει",
  payAtTable: "Πληρωμές στο τραπέζι",
  reqPaying: (who: string, amount: string, share: string | null) =>
    share ? `${who} πληρώνει ${amount} (${share})` : `${who} πληρώνει ${amount}`,
  reqYouPaying: (amount: string, share: string | null) =>
    share ? `Πληρώνετε ${amount} (${share})` : `Πληρώνετε ${amount}`,
  reqPaid: (who: string, amount: string) => `${who} πλήρωσε ${amount}`,
  reqYouPaid: (amount: string) => `Πληρώσατε ${amount}`,
  reqWaiterPending: (amount: string) => `QR UPI από τον σερβιτόρο · ${amount}`,
  reqWaiterPaid: (amount: string) => `Πληρώθηκαν με UPI στο τραπέζι · ${amount}`,
  aGuest: "Κάποιος",
  theirItems: "όσα παρήγγειλε",
  theRest: "το υπόλοιπο",
  anAmount: "ένα ποσό",
  partOfBill: (part: string) => `${part} του λογαριασμού`,
  itemPaid: "Πληρωμένο",
  payOff: "Η πληρωμή από το κινητό δεν προσφέρεται εδώ. Ρωτήστε το προσωπικό.",
  noBill: "Δεν υπάρχει ακόμη λογαριασμός σε αυτό το τραπέζι.",
  nothingOfYours: "Δεν υπάρχει τίποτα απλήρωτο με το όνομά σας. Επιλέξτε άλλον τρόπο πληρωμής.",
  nothingDue: "Όλος ο λογαριασμός έχει ήδη πληρωθεί ή πληρώνεται.",
  exceedsBalance: "Είναι περισσότερα από όσα μένουν: κάποιος μόλις πλήρωσε. Επιλέξτε ξανά.",
  upiUnavailable: "Η πληρωμή με UPI δεν είναι δυνατή αυτή τη στιγμή. Δοκιμάστε ξανά σε λίγο ή ρωτήστε το προσωπικό.",
  notPending: "Αυτό το αίτημα πληρωμής δεν είναι πια ανοιχτό.",
  paymentGone: "Αυτή η πληρωμή δεν βρίσκεται πια.",
  billClosed: "Ο λογαριασμός μόλις έκλεισε.",
};

export const STRINGS: Record<Lang, Strings> = { en: EN, el: EL };

function supported(language: string): Lang | null {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0];
  return primary === "el" || primary === "en" ? primary : null;
}

/** The first language of the phone's list that the app speaks: a phone set to ["de-DE", "el-GR"] reads Greek.
 * English when it speaks none of them (or the browser does not say). */
export function detectLang(languages: string | readonly string[] | undefined): Lang {
  const list = typeof languages === "string" ? [languages] : (languages ?? []);
  for (const language of list) {
    const lang = supported(language);
    if (lang) return lang;
  }
  return "en";
}

/** The phone's preference list; older browsers give only `navigator.language`. */
export function phoneLanguages(nav: Pick<Navigator, "language" | "languages"> | undefined): readonly string[] {
  if (!nav) return [];
  if (nav.languages && nav.languages.length > 0) return nav.languages;
  return nav.language ? [nav.language] : [];
}

/** A menu name in the guest's language: the Greek `name` is the original, `name_en` may be missing. */
export function pick(lang: Lang, named: { name: string; name_en?: string | null }): string {
  return lang === "el" ? named.name : named.name_en || named.name;
}

const LANG_KEY = "tavolo.guest.lang";

/** The guest's own pick on the toggle (stored only by setLang) wins; otherwise the phone's languages decide. */
export function chooseLang(saved: string | null, languages: readonly string[]): Lang {
  return saved === "en" || saved === "el" ? saved : detectLang(languages);
}

function initialLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    // private mode: follow the phone
  }
  return chooseLang(saved, phoneLanguages(typeof navigator === "undefined" ? undefined : navigator));
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
