"""Wire shapes of guest ordering: the guest's table, menu, cart, submissions and order; the staff's view."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from local_backend.menu.schemas import Allergen

# The same bounds as the orders API: ids here end up in an order's items.
MAX_ID = 2_147_483_647
MAX_LINE_QUANTITY = 20
MAX_CART_LINES = 50

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Nickname = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=24)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=140)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Quantity = Annotated[int, Field(ge=1, le=MAX_LINE_QUANTITY)]
GuestOrdering = Literal["off", "confirm", "direct"]
SubmissionStatus = Literal["pending", "accepted", "rejected"]
GuestItemState = Literal["received", "preparing", "ready", "served", "cancelled"]
CallKind = Literal["waiter", "bill"]


# --- table codes (manager) ----------------------------------------------------------------------------------


class TableQrRead(BaseModel):
    table_id: int
    number: int
    label: str
    token: str
    url: str = Field(description="<PUBLIC_URL or the request's origin>/t/<token>")


# --- the guest's side ---------------------------------------------------------------------------------------


class GuestTableRead(BaseModel):
    table_label: str
    restaurant_name: str
    currency: str
    ordering: GuestOrdering
    accepting_orders: bool = Field(description="False while guest ordering is off or the license refuses orders")
    reason: str | None = Field(description="Why orders are not accepted, for the guest")


class GuestMenuCategory(BaseModel):
    id: int
    name: str
    name_en: str | None
    color: str


class GuestMenuOption(BaseModel):
    id: int
    name: str
    name_en: str | None
    extra_cost: int


class GuestMenuIngredient(BaseModel):
    id: int
    name: str
    name_en: str | None


class GuestMenuChoice(BaseModel):
    id: int
    name: str
    name_en: str | None
    price_delta: int


class GuestMenuPreferenceSet(BaseModel):
    id: int
    name: str
    name_en: str | None
    required: bool
    choices: list[GuestMenuChoice]


class GuestMenuProduct(BaseModel):
    id: int
    category_id: int
    name: str
    name_en: str | None
    description: str | None
    base_price: int
    image_url: str | None
    options: list[GuestMenuOption]
    ingredients: list[GuestMenuIngredient] = Field(description="Ingredients a guest may ask to leave out")
    allergens: list[Allergen] = Field(description="EU allergen codes the product contains, in the canonical order")
    preference_sets: list[GuestMenuPreferenceSet]


class GuestMenuRead(BaseModel):
    categories: list[GuestMenuCategory]
    products: list[GuestMenuProduct]


class GuestCartLine(BaseModel):
    id: int
    product_id: int
    product_name: str
    product_name_en: str | None
    quantity: int
    options: list[str]
    removed: list[str]
    choices: list[str]
    note: str | None
    nickname: str
    unit_price: int
    line_total: int
    added_at: datetime
    available: bool = Field(
        default=True,
        description="False once the product was 86'd or taken off the menu after the line was added: sending the "
        "cart is refused (PRODUCT_UNAVAILABLE) until the line is removed",
    )


class GuestCartRead(BaseModel):
    version: int = Field(description="Bumped by every cart change; send it back with the submission")
    lines: list[GuestCartLine]
    total: int


class GuestCartLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: Id
    quantity: Quantity = 1
    option_ids: list[Id] = Field(default_factory=list, max_length=50)
    removed_ingredient_ids: list[Id] = Field(default_factory=list, max_length=50)
    choice_ids: list[Id] = Field(default_factory=list, max_length=50)
    note: Note | None = None
    nickname: Nickname


class GuestCartLineUpdate(BaseModel):
    """Exactly one of `quantity` and `delta`."""

    model_config = ConfigDict(extra="forbid")

    quantity: Quantity | None = Field(default=None, description="The line's new quantity")
    delta: Annotated[int, Field(ge=-MAX_LINE_QUANTITY, le=MAX_LINE_QUANTITY)] | None = Field(
        default=None,
        description="Add this to the line's quantity (a tap on + or -), kept within 1.."
        f"{MAX_LINE_QUANTITY}: two phones tapping + at once both count, where two absolute quantities would not",
    )

    @model_validator(mode="after")
    def _one_of(self) -> GuestCartLineUpdate:
        if (self.quantity is None) == (self.delta is None):
            raise ValueError("send either quantity or delta")
        if self.delta == 0:
            raise ValueError("delta must not be 0")
        return self


class GuestSubmit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nickname: Nickname
    cart_version: Annotated[int, Field(ge=0, le=MAX_ID)]


class GuestSubmissionRead(BaseModel):
    id: int
    status: SubmissionStatus
    lines: list[GuestCartLine]
    total: int
    nickname: str
    created_at: datetime
    reason: str | None


class GuestOrderItemRead(BaseModel):
    id: int
    product_name: str
    product_name_en: str | None
    quantity: int
    state: GuestItemState
    guest: bool = Field(description="Ordered by a guest from the table's code")
    nickname: str | None = Field(description="The name the guest who ordered it gave")
    amount: int = Field(description="What the line costs on the bill (minor units; 0 when cancelled)")
    paid_quantity: int


PayShare = Literal["mine", "even", "rest", "amount"]


class GuestPayCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nickname: Nickname
    share: PayShare = Field(
        description="mine: my unpaid items; even: 1 of `parts` equal shares of the bill; rest: all that is left; "
        "amount: `amount`. A share bigger than what is left to pay is cut to it."
    )
    parts: Annotated[int, Field(ge=2, le=30)] | None = Field(default=None, description="For even (default 2)")
    amount: Annotated[int, Field(gt=0, le=10**11)] | None = Field(default=None, description="For amount")

    @model_validator(mode="after")
    def _amount_for_amount(self) -> GuestPayCreate:
        if (self.share == "amount") != (self.amount is not None):
            raise ValueError("amount is given with share 'amount' and only then")
        if self.parts is not None and self.share != "even":
            raise ValueError("parts is given only with share 'even'")
        return self


GuestPaymentStatus = Literal["pending", "paid", "overpaid", "expired", "cancelled", "failed"]


class GuestPaymentRead(BaseModel):
    id: int
    amount: int
    status: GuestPaymentStatus
    by_guest: bool = Field(description="Asked for from the table's code (else: shown by the waiter)")
    nickname: str | None
    share: str | None = Field(description='e.g. "my items", "1/3", "the rest"')
    payload: str | None = Field(description="The upi:// link: opens the guest's UPI app on this phone")
    image_url: str | None = Field(description="The QR image to scan with another phone, when the gateway gives one")
    closes_at: datetime
    paid_at: datetime | None


class GuestBillPayments(BaseModel):
    available: bool = Field(description="Whether guests may pay from the table now")
    reason: str | None = Field(description="Why not, for the guest")
    open_for: int = Field(description="What is left to pay that no open QR already asks for")
    requests: list[GuestPaymentRead] = Field(description="The bill's open and paid UPI QRs")


class GuestOrderRead(BaseModel):
    order_id: int | None
    items: list[GuestOrderItemRead]
    submissions: list[GuestSubmissionRead] = Field(description="This party's submissions, newest last")
    total: int
    paid: int
    due: int
    payments: GuestBillPayments


class GuestCallCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CallKind


class GuestCallRead(BaseModel):
    ok: bool = True


# --- the staff's side ---------------------------------------------------------------------------------------


class GuestSubmissionStaffRead(BaseModel):
    id: int
    table_id: int
    table_label: str
    status: SubmissionStatus
    lines: list[GuestCartLine]
    total: int
    nickname: str
    created_at: datetime
    order_id: int | None
    decided_by: str | None = Field(description="Who accepted or rejected it (display name)")
    reason: str | None


class GuestRejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
